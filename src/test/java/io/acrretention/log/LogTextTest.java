package io.acrretention.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void lineBreaksTabsAndOtherControlsBecomeVisibleEscapes() {
        assertEquals(
                "a\\nb\\r\\tc\\u0000\\u001b[31m\\u007f\\u0085",
                LogText.escape("a\nb\r\tc\u0000\u001b[31m\u007f\u0085"));
    }

    @Test
    void unicodeLineSeparatorsAndBidiOverridesAreEscapedToo() {
        assertEquals("x\\u2028y\\u2029z\\u202eevil", LogText.escape("x\u2028y\u2029z\u202eevil"));
    }

    @Test
    void ordinaryTextIsLeftAsItIsIncludingNonAsciiLetters() {
        String text =
                "runId=20261123T000000Z-7f3a registry=mactemp.azurecr.io repository=app/api Größe €";
        assertSame(text, LogText.escape(text));
    }
}
