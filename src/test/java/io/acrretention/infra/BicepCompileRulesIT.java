package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The templates keep to the compiler's rules on loops and lambdas, and the check finds each kind of
 * breach.
 */
class BicepCompileRulesIT {
    private static final String MODULES =
            String.join(
                    "\n",
                    "module access 'modules/a.bicep' = [for r in registries: {",
                    "  name: r.name",
                    "  params: {",
                    "    x: r",
                    "  }",
                    "}]",
                    "resource site 'Microsoft.Web/sites@2024-04-01' = {",
                    "  name: 'x'",
                    "}",
                    "");

    private static InfraTemplates t;

    @BeforeAll
    static void read() {
        t = new InfraTemplates();
    }

    @Test
    void noTemplateBreaksALoopOrLambdaRule() {
        for (BicepFile file : t.bicepFiles) {
            assertEquals(List.of(), BicepCompileRules.violations(file), file.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the retentionConfig var that issue 14 found: a loop inside a var's object
                "a loop inside a var's object | var c = {\\n  registries: [for r in registries: {\\n    e: r\\n  }]\\n}\\n | BCP138",
                "a loop inside an output's array | output o array = [\\n  [for r in registries: r]\\n]\\n | BCP138",
                "a property loop inside a function call | resource s 'Microsoft.Web/sites@2024-04-01' = {\\n  properties: union({}, {\\n    a: [for r in registries: r]\\n  })\\n}\\n | BCP138",
                "a loop as an array item of a resource | resource s 'Microsoft.Web/sites@2024-04-01' = {\\n  properties: {\\n    a: [\\n      [for r in registries: r]\\n    ]\\n  }\\n}\\n | BCP138",
                "a property loop in a property loop | resource s 'Microsoft.Web/sites@2024-04-01' = {\\n  properties: {\\n    a: [for r in registries: {\\n      b: [for x in r: x]\\n    }]\\n  }\\n}\\n | BCP142",
                "a module output in a var's loop | var servers = [for (r, i) in registries: access[i].outputs.loginServer]\\n | BCP182",
                "a module output through another var | var first = access[0].outputs.loginServer\\nvar servers = [for r in registries: first]\\n | BCP182",
                "a resource's runtime property in a var's loop | var hosts = [for r in registries: site.properties.defaultHostName]\\n | BCP182",
                "a lambda indexing a module collection | var servers = map(range(0, 2), i => access[i].outputs.loginServer)\\n | BCP247",
            })
    void eachBreachIsFoundAndNamed(String what, String source, String code) {
        BicepFile file = BicepFile.of("t.bicep", MODULES + source.replace("\\n", "\n"));
        List<String> violations = BicepCompileRules.violations(file);
        assertEquals(1, violations.size(), what + ": " + violations);
        assertTrue(violations.get(0).contains(code), what + ": " + violations);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a var that is one loop over a parameter | var e = [for r in registries: {\\n  endpoint: r\\n}]\\n",
                "a loop in module params over module outputs | module c 'modules/c.bicep' = {\\n  name: 'c'\\n  params: {\\n    servers: [for (r, i) in registries: access[i].outputs.loginServer]\\n  }\\n}\\n",
                "a property loop in a resource | resource s 'Microsoft.Web/sites@2024-04-01' = {\\n  properties: {\\n    siteConfig: {\\n      appSettings: [for s in items(settings): {\\n        name: s.key\\n      }]\\n    }\\n  }\\n}\\n",
                "a lambda over a parameter | var c = map(clusters, c => c.name)\\n",
                "a loop in a looped resource's property | resource s 'Microsoft.Web/sites@2024-04-01' = [for r in registries: {\\n  properties: {\\n    a: [for x in r: x]\\n  }\\n}]\\n",
            })
    void whatTheCompilerAllowsPasses(String what, String source) {
        BicepFile file = BicepFile.of("t.bicep", MODULES + source.replace("\\n", "\n"));
        assertEquals(List.of(), BicepCompileRules.violations(file), what);
    }
}
