package io.acrretention.inventory.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts what is read and fails once more than {@code max} bytes came through: memory and time stay
 * bounded.
 */
public final class BoundedInputStream extends FilterInputStream {
    private final long max;
    private long count;

    public BoundedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) throws ResponseTooLargeException {
        count += n;
        if (count > max) {
            throw new ResponseTooLargeException(
                    "response body is larger than the limit of " + max + " bytes");
        }
    }
}
