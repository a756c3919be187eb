package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.Site;
import dev.chaosagent.config.ReturnValue;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.plan.RulePlan;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Weaves one class: at the start of each matched method it inserts, per rule, the single call
 * {@code Dispatcher.enter(<site id>, <rule slot>, <generation>, <site key>, <this class>.class)},
 * the site's fields as constants. Nothing else of the method changes, so the class keeps its
 * frames, its exception tables and its line numbers; the inserted code uses a few stack slots and
 * no locals.
 *
 * <p>This is ASM (the copy Byte Buddy bundles) used directly rather than Byte Buddy's
 * {@code AgentBuilder} and {@code Advice}: the advice here is one constant call, and building
 * Byte Buddy's type descriptions costs hundreds of milliseconds of start-up for nothing it would
 * add (see the README's start-up figures).
 */
final class ClassWeaver {
    static final String DISPATCHER = Type.getInternalName(Dispatcher.class);
    private static final int MIN_VERSION = Opcodes.V1_5; // ldc of a class constant needs class files of Java 5 or later

    /** A rule that skipped something here, and the line that says what and why. */
    record Warning(RulePlan rule, String line) {
    }

    /** What one class's weaving did: per candidate rule the methods it wove, and the lines to log. */
    static final class Result {
        byte[] bytes;
        /** Why the class cannot be woven at all, or null. */
        String failure;
        final List<Warning> warnings = new ArrayList<>();
        final List<RulePlan> rules;
        final List<List<String>> methods = new ArrayList<>();

        Result(List<RulePlan> candidates) {
            rules = candidates;
            for (int i = 0; i < candidates.size(); i++) {
                methods.add(new ArrayList<String>());
            }
        }
    }

    private ClassWeaver() {
    }

    /**
     * @param candidates rules whose patterns match this class's name
     * @return the result; {@code bytes} is null when no method was woven
     */
    static Result weave(ClassLoader loader, String internalName, byte[] classFile, List<RulePlan> candidates,
                        boolean jdkClass, ExceptionTypes exceptionTypes, SiteRegistry sites, TypeFacts facts) {
        Result result = new Result(candidates);
        ClassReader reader = new ClassReader(classFile);
        String binaryName = internalName.replace('/', '.');
        if ((reader.getAccess() & Opcodes.ACC_SYNTHETIC) != 0) {
            return result;
        }
        int version = reader.readUnsignedShort(6);
        if (version < (MIN_VERSION & 0xFFFF)) {
            result.failure = "its class file version " + version + " predates Java 5";
            return result;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        Weaver weaver = new Weaver(writer, loader, binaryName, internalName, candidates, jdkClass, exceptionTypes, result, sites,
                version, facts);
        reader.accept(weaver, 0);
        if (weaver.wovenMethods > 0) {
            result.bytes = writer.toByteArray();
        }
        return result;
    }

    /** 64-bit FNV-1a: a stable key for (rule, method) that does not depend on load order. */
    static long siteKey(String rule, String owner, String method, String descriptor) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, rule);
        h = fnv(h, "|");
        h = fnv(h, owner);
        h = fnv(h, "#");
        h = fnv(h, method);
        return fnv(h, descriptor);
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static final class Weaver extends ClassVisitor {
        private final ClassLoader loader;
        private final String binaryName;
        private final String internalName;
        private final List<RulePlan> candidates;
        private final boolean jdkClass;
        private final ExceptionTypes exceptionTypes;
        private final Result result;
        private final SiteRegistry sites;
        /** Per candidate: the resolved configured exception (null until needed), or a problem that rules it out. */
        private final ExceptionTypes.Info[] configured;
        private final int version;
        private final TypeFacts facts;
        private String superName;
        int wovenMethods;

        Weaver(ClassWriter writer, ClassLoader loader, String binaryName, String internalName, List<RulePlan> candidates,
               boolean jdkClass, ExceptionTypes exceptionTypes, Result result, SiteRegistry sites, int version, TypeFacts facts) {
            super(Opcodes.ASM9, writer);
            this.version = version;
            this.facts = facts;
            this.loader = loader;
            this.binaryName = binaryName;
            this.internalName = internalName;
            this.candidates = candidates;
            this.jdkClass = jdkClass;
            this.exceptionTypes = exceptionTypes;
            this.result = result;
            this.sites = sites;
            this.configured = new ExceptionTypes.Info[candidates.size()];
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            super.visit(version, access, name, signature, superName, interfaces);
            this.superName = superName;
        }

        /**
         * The dispatcher asks the calling thread for its id on every armed call: woven into
         * {@code Thread.getId} (or {@code threadId}, which getId calls on JDK 19+), or an override
         * of it, the call would recurse until the stack overflows.
         */
        private boolean isThreadId(String name, String descriptor) {
            if (!"()J".equals(descriptor) || !("getId".equals(name) || "threadId".equals(name))) {
                return false;
            }
            if ("java.lang.Thread".equals(binaryName)) {
                return true;
            }
            return superName != null && !"java/lang/Object".equals(superName) && facts.supertypes().contains("java.lang.Thread");
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (name.charAt(0) == '<'
                    || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0) {
                return mv; // constructors, initialisers, abstract, native, synthetic and bridge methods are never woven
            }
            boolean threadId = isThreadId(name, descriptor);
            Type[] arguments = Type.getArgumentTypes(descriptor);
            String[] parameterTypes = new String[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                parameterTypes[i] = arguments[i].getClassName();
            }
            int[] ids = null;
            boolean[] returning = null;
            int[][] argIndexes = null;
            int count = 0;
            Type returnType = Type.getReturnType(descriptor);
            for (int c = 0; c < candidates.size(); c++) {
                RulePlan rule = candidates.get(c);
                if (!rule.matchesMethod(facts, jdkClass, name, descriptor, parameterTypes)) {
                    continue;
                }
                String description = describe(name, parameterTypes);
                if (threadId) {
                    result.warnings.add(new Warning(rule, "rule '" + rule.name() + "' skips " + description + ": the agent"
                            + " calls it on every armed call to find the calling thread's state, so a fault there would recurse"));
                    continue;
                }
                String exception = exceptionFor(c, rule, description, exceptions);
                if (rule.fault().throwsException() && exception == null) {
                    continue; // exceptionFor said why
                }
                String returnValue = rule.config().returnValue();
                if (returnValue != null && !canReturn(rule, description, returnValue, returnType)) {
                    continue; // canReturn said why
                }
                int[] conditioned = conditionedArguments(rule, description, arguments.length);
                if (conditioned == null) {
                    continue; // conditionedArguments said why
                }
                String reuseKey = name + descriptor + "|" + exception + "|" + returnValue;
                int id = sites.find(rule.generation(), loader, binaryName + "#" + reuseKey);
                if (id < 0) {
                    int copy = sites.nextCopy(rule.generation(), binaryName + "#" + name + descriptor);
                    // another loader's copy of the class decides on its own; the first keeps the plain key
                    long key = siteKey(rule.name(), copy == 0 ? binaryName : binaryName + "@copy" + copy, name, descriptor);
                    Site site = returnValue == null ? new Site(rule.slot(), rule.generation(), key, rule.stats(), exception, description)
                            : new Site(rule.slot(), rule.generation(), key, rule.stats(), null, description,
                                    ReturnValue.kind(returnValue), ReturnValue.literal(returnValue), returnType.getDescriptor());
                    id = Dispatcher.register(site);
                    sites.remember(rule.generation(), loader, binaryName + "#" + reuseKey, id);
                }
                if (ids == null) {
                    ids = new int[candidates.size()];
                    returning = new boolean[candidates.size()];
                    argIndexes = new int[candidates.size()][];
                }
                returning[count] = returnValue != null;
                argIndexes[count] = conditioned.length == 0 ? null : conditioned;
                ids[count++] = id;
                result.methods.get(c).add(description);
            }
            if (count == 0) {
                return mv;
            }
            wovenMethods++;
            return new EntryCall(mv, internalName, ids, returning, argIndexes, count, returnType, arguments,
                    (access & Opcodes.ACC_STATIC) != 0);
        }

        /**
         * The argument indexes the rule's conditions read, ascending (empty for none), or null when
         * the method lacks one of them (a warning says so and the method is skipped).
         */
        private int[] conditionedArguments(RulePlan rule, String method, int parameters) {
            java.util.Set<Integer> wanted = rule.config().args().keySet();
            int[] out = new int[wanted.size()];
            int i = 0;
            for (int index : wanted) {
                if (index >= parameters) {
                    result.warnings.add(new Warning(rule, "rule '" + rule.name() + "' skips " + method + ": chaos.rule."
                            + rule.name() + ".arg." + index + " names an argument it does not have (it takes " + parameters + ")"));
                    return null;
                }
                out[i++] = index;
            }
            return out;
        }

        /**
         * Whether a method returning {@code type} can take the rule's return value (and the class
         * file can hold the branch it needs); if not, a warning says why and the method is skipped.
         */
        private boolean canReturn(RulePlan rule, String method, String value, Type type) {
            String why = version < Opcodes.V1_7 ? "its class file version " + version + " predates the stack map frames the"
                    + " return needs" : ReturnTypes.mismatch(value, type, loader, facts.descriptions());
            if (why == null) {
                return true;
            }
            result.warnings.add(new Warning(rule, "rule '" + rule.name() + "' skips " + method + ": " + why));
            return false;
        }

        private String describe(String method, String[] parameterTypes) {
            StringBuilder b = new StringBuilder(binaryName).append('#').append(method).append('(');
            for (int i = 0; i < parameterTypes.length; i++) {
                b.append(i == 0 ? "" : ",").append(parameterTypes[i]);
            }
            return b.append(')').toString();
        }

        /**
         * The exception class a site of this rule throws in this method, or null when the rule
         * throws nothing here (a warning says why when it was meant to).
         */
        private String exceptionFor(int c, RulePlan rule, String method, String[] declared) {
            if (!rule.fault().throwsException()) {
                return null;
            }
            String key = "chaos.rule." + rule.name() + ".exception";
            if (RuleConfig.DECLARED.equals(rule.exception())) {
                if (declared == null || declared.length == 0) {
                    return RuleConfig.DEFAULT_EXCEPTION;
                }
                StringBuilder why = new StringBuilder();
                for (String d : declared) {
                    ExceptionTypes.Info info = exceptionTypes.inspect(loader, d.replace('/', '.'));
                    if (info.problem() == null) {
                        return info.name();
                    }
                    why.append(why.length() == 0 ? "" : "; ").append(info.problem());
                }
                result.warnings.add(new Warning(rule, key + "=declared: rule '" + rule.name() + "' skips " + method
                        + ": none of its declared exceptions can be built (" + why + ")"));
                return null;
            }
            ExceptionTypes.Info info = configured[c];
            if (info == null) {
                info = exceptionTypes.inspect(loader, rule.exception());
                configured[c] = info;
                if (info.problem() != null) {
                    result.warnings.add(new Warning(rule, key + "=" + rule.exception() + " cannot be injected into "
                            + binaryName + ": " + info.problem() + "; rule '" + rule.name() + "' skips this class"));
                }
            }
            if (info.problem() != null) {
                return null;
            }
            if (info.unchecked()) {
                return info.name();
            }
            if (declared != null) {
                for (String d : declared) {
                    if (info.coveredBy(d.replace('/', '.'))) {
                        return info.name();
                    }
                }
            }
            result.warnings.add(new Warning(rule, "rule '" + rule.name() + "' skips " + method + ": it does not declare "
                    + info.name() + " or a supertype, and a checked exception it does not declare would reach callers that cannot expect it"));
            return null;
        }
    }

    /**
     * Inserts the dispatcher calls before the method's first instruction. A return fault's call
     * hands back a value or {@code Dispatcher.PROCEED}; on a value the method returns it at once:
     * <pre>
     *   Object v = Dispatcher.enterReturning(id, Owner.class);
     *   if (v != Dispatcher.PROCEED) return (T) v;   // unboxed for a primitive T
     * </pre>
     * The branch target gets a frame with the method's entry locals and {@code v} on the stack.
     */
    private static final class EntryCall extends MethodVisitor {
        private final String owner;
        private final int[] ids;
        private final boolean[] returning;
        private final int[][] argIndexes;
        private final int count;
        private final Type returnType;
        private final Type[] arguments;
        private final boolean isStatic;

        EntryCall(MethodVisitor mv, String owner, int[] ids, boolean[] returning, int[][] argIndexes, int count, Type returnType,
                  Type[] arguments, boolean isStatic) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.ids = ids;
            this.returning = returning;
            this.argIndexes = argIndexes;
            this.count = count;
            this.returnType = returnType;
            this.arguments = arguments;
            this.isStatic = isStatic;
        }

        /** {@code new Object[] {arg_i, ...}}, each argument boxed, for a rule's argument conditions. */
        private void pushArguments(int[] indexes) {
            push(indexes.length);
            super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
            for (int j = 0; j < indexes.length; j++) {
                super.visitInsn(Opcodes.DUP);
                push(j);
                int slot = isStatic ? 0 : 1;
                for (int a = 0; a < indexes[j]; a++) {
                    slot += arguments[a].getSize();
                }
                Type t = arguments[indexes[j]];
                super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                if (t.getSort() != Type.OBJECT && t.getSort() != Type.ARRAY) {
                    String box = ReturnTypes.box(t);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false);
                }
                super.visitInsn(Opcodes.AASTORE);
            }
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (int i = 0; i < count; i++) {
                Site site = Dispatcher.site(ids[i]);
                push(ids[i]);
                push(site.rule());
                push(site.generation());
                super.visitLdcInsn(site.key());
                super.visitLdcInsn(Type.getObjectType(owner));
                if (argIndexes[i] != null) {
                    pushArguments(argIndexes[i]);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "enterWithArguments",
                            "(IIIJLjava/lang/Class;[Ljava/lang/Object;)Ljava/lang/Object;", false);
                    if (!returning[i]) {
                        super.visitInsn(Opcodes.POP);
                        continue;
                    }
                } else if (!returning[i]) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "enter", "(IIIJLjava/lang/Class;)V", false);
                    continue;
                } else {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCHER, "enterReturning",
                            "(IIIJLjava/lang/Class;)Ljava/lang/Object;", false);
                }
                super.visitInsn(Opcodes.DUP);
                super.visitFieldInsn(Opcodes.GETSTATIC, DISPATCHER, "PROCEED", "Ljava/lang/Object;");
                net.bytebuddy.jar.asm.Label proceed = new net.bytebuddy.jar.asm.Label();
                super.visitJumpInsn(Opcodes.IF_ACMPEQ, proceed);
                returnIt();
                super.visitLabel(proceed);
                super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
                super.visitInsn(Opcodes.POP);
            }
        }

        /** Returns the Object on the stack as the method's return type. */
        private void returnIt() {
            switch (returnType.getSort()) {
                case Type.VOID:
                    super.visitInsn(Opcodes.POP);
                    super.visitInsn(Opcodes.RETURN);
                    return;
                case Type.OBJECT:
                case Type.ARRAY:
                    if (!returnType.getInternalName().equals("java/lang/Object")) {
                        super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getInternalName());
                    }
                    super.visitInsn(Opcodes.ARETURN);
                    return;
                default:
                    String box = ReturnTypes.box(returnType);
                    super.visitTypeInsn(Opcodes.CHECKCAST, box);
                    super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, returnType.getClassName() + "Value",
                            "()" + returnType.getDescriptor(), false);
                    super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
            }
        }

        private void push(int value) {
            if (value <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + value);
            } else if (value <= Byte.MAX_VALUE) {
                super.visitIntInsn(Opcodes.BIPUSH, value);
            } else if (value <= Short.MAX_VALUE) {
                super.visitIntInsn(Opcodes.SIPUSH, value);
            } else {
                super.visitLdcInsn(value);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // id, slot, generation, key (2), class, the argument array twice, an index and a long or double
            // argument (2): 11; a value and PROCEED: 3
            super.visitMaxs(Math.max(maxStack, 11), maxLocals);
        }
    }
}
