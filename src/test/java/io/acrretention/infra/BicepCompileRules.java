package io.acrretention.infra;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bicep compiler's rules on loops and lambdas that a structural read can check, each named by
 * its code. Read from the compiler's source (Azure/bicep,
 * src/Bicep.Core/Emit/ForSyntaxValidatorVisitor.cs,
 * TypeSystem/DeployTimeConstantViolationVisitor.cs, Emit/EmitLimitationCalculator.cs):
 *
 * <ul>
 *   <li>BCP138: in a var or output, a for-expression is allowed only as the whole value; in a
 *       resource or module it may also be the value of a property reached through object and array
 *       literals only (no function call, operator or parenthesis on the way).
 *   <li>BCP142: at most one property loop inside another (MaximumNestedPropertyLoopCount = 1).
 *   <li>BCP182: a var's for-body must be computable when the deployment starts: no module output,
 *       no runtime property of a resource, also not through another var.
 *   <li>BCP247: a lambda may not index a resource or module collection.
 * </ul>
 */
final class BicepCompileRules {
    private static final Pattern TOP_LEVEL =
            Pattern.compile("^(resource|module|var|output|param|type|func)\\b");
    private static final Pattern FOR = Pattern.compile("\\[\\s*for\\b");

    private BicepCompileRules() {}

    /** Every violation in the file, as "file line N: BCPnnn ...", in source order. */
    static List<String> violations(BicepFile file) {
        List<String> out = new ArrayList<>();
        loops(file, out);
        variableLoops(file, out);
        lambdas(file, out);
        return out;
    }

    private static void loops(BicepFile file, List<String> out) {
        String masked = file.masked();
        Deque<String> stack = new ArrayDeque<>();
        String declaration = null;
        for (int i = 0; i < masked.length(); i++) {
            boolean lineStart = i == 0 || masked.charAt(i - 1) == '\n';
            if (lineStart && stack.isEmpty()) {
                Matcher m =
                        TOP_LEVEL.matcher(masked.substring(i, Math.min(masked.length(), i + 10)));
                if (m.find()) {
                    declaration = m.group(1);
                }
            }
            char ch = masked.charAt(i);
            if (ch == '[') {
                Matcher f = FOR.matcher(masked).region(i, masked.length());
                boolean isFor = f.lookingAt();
                if (isFor) {
                    checkLoop(file, out, stack, declaration, i);
                }
                stack.push(isFor ? "for" : "[");
            } else if (ch == '{' || ch == '(') {
                stack.push(String.valueOf(ch));
            } else if ((ch == ']' || ch == '}' || ch == ')') && !stack.isEmpty()) {
                stack.pop();
            }
        }
    }

    private static void checkLoop(
            BicepFile file, List<String> out, Deque<String> stack, String declaration, int at) {
        if (stack.isEmpty()) {
            return; // the whole value of the declaration
        }
        String where = file.name() + " line " + file.lineOf(at) + ": ";
        if (!"resource".equals(declaration) && !"module".equals(declaration)) {
            out.add(
                    where
                            + "BCP138 a for-expression inside the value of a "
                            + declaration
                            + " (only the whole value may be a loop)");
            return;
        }
        List<String> enclosing = new ArrayList<>(stack); // innermost first
        if ("for".equals(enclosing.get(enclosing.size() - 1))) {
            enclosing.remove(enclosing.size() - 1); // the declaration's own loop
        }
        String before = file.masked().substring(0, at).stripTrailing();
        if (enclosing.contains("(") || !before.endsWith(":")) {
            out.add(
                    where
                            + "BCP138 a property loop must be a property's value reached through object and array"
                            + " literals only");
        } else if (enclosing.contains("for")) {
            out.add(where + "BCP142 a property loop inside another property loop");
        }
    }

    private static void variableLoops(BicepFile file, List<String> out) {
        Set<String> runtime = new LinkedHashSet<>();
        file.moduleDeclarations().forEach(m -> runtime.add("\\b" + m.symbol() + "\\b"));
        file.resources()
                .forEach(r -> runtime.add("\\b" + r.symbol() + "(\\[[^\\]]*])?\\.properties\\b"));
        // a var that reads a runtime value is one itself; repeat until nothing new is found
        Set<String> runtimeVars = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, String> v : file.vars().entrySet()) {
                if (!runtimeVars.contains(v.getKey())
                        && mentions(v.getValue(), runtime, runtimeVars) != null) {
                    runtimeVars.add(v.getKey());
                    grew = true;
                }
            }
        }
        for (Map.Entry<String, String> v : file.vars().entrySet()) {
            if (!v.getValue().startsWith("[")) {
                continue;
            }
            if (!FOR.matcher(v.getValue()).lookingAt()) {
                continue;
            }
            String found = mentions(v.getValue(), runtime, runtimeVars);
            if (found != null) {
                out.add(
                        file.name()
                                + " var "
                                + v.getKey()
                                + ": BCP182 its for-body reads '"
                                + found
                                + "', which is not known when the deployment starts");
            }
        }
    }

    private static String mentions(String value, Set<String> runtime, Set<String> runtimeVars) {
        for (String pattern : runtime) {
            Matcher m = Pattern.compile(pattern).matcher(value);
            if (m.find()) {
                return m.group();
            }
        }
        for (String var : runtimeVars) {
            Matcher m = Pattern.compile("(?<![.\\w])" + var + "\\b").matcher(value);
            if (m.find()) {
                return var;
            }
        }
        return null;
    }

    private static void lambdas(BicepFile file, List<String> out) {
        String masked = file.masked();
        String code = file.code();
        Set<String> collections = new LinkedHashSet<>();
        file.moduleDeclarations().forEach(m -> collections.add(m.symbol()));
        file.resources().forEach(r -> collections.add(r.symbol()));
        for (int at = masked.indexOf("=>"); at >= 0; at = masked.indexOf("=>", at + 2)) {
            int end = lambdaEnd(masked, at);
            String body = code.substring(at + 2, end);
            for (String symbol : collections) {
                if (Pattern.compile("(?<![.\\w])" + symbol + "\\s*\\[").matcher(body).find()) {
                    out.add(
                            file.name()
                                    + " line "
                                    + file.lineOf(at)
                                    + ": BCP247 a lambda indexes the collection "
                                    + symbol);
                }
            }
        }
    }

    /**
     * Where the lambda's body ends: the close of the call it is an argument of, or a comma at its
     * own depth.
     */
    private static int lambdaEnd(String masked, int arrow) {
        int depth = 0;
        for (int i = arrow + 2; i < masked.length(); i++) {
            char ch = masked.charAt(i);
            if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                if (depth-- == 0) {
                    return i;
                }
            } else if (ch == ',' && depth == 0) {
                return i;
            }
        }
        return masked.length();
    }
}
