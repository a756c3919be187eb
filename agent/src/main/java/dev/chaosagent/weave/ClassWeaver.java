package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.Dispatcher;
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
 * <p>The four numbers are loaded with {@code ldc} from constant-pool entries that hold
 * placeholders here; {@link WovenClass#bind} registers the sites and writes the numbers in. So
 * what this class produces depends only on the class file, the rules and (where said) JDK types,
 * and the {@link WeaveCache} can keep it for the next JVM.
 *
 * <p>This is ASM (the copy Byte Buddy bundles) used directly rather than Byte Buddy's
 * {@code AgentBuilder} and {@code Advice}: the advice here is one constant call, and building
 * Byte Buddy's type descriptions costs hundreds of milliseconds of start-up for nothing it would
 * add (see the README's start-up figures).
 */
final class ClassWeaver {
    static final String DISPATCHER = Type.getInternalName(Dispatcher.class);
    private static final int MIN_VERSION = Opcodes.V1_5; // ldc of a class constant needs class files of Java 5 or later

    /** What one class's weaving did. */
    static final class Result {
        /** The woven class before its sites are bound; null when the class cannot be woven at all. */
        WovenClass woven;
        /** Why the class cannot be woven at all, or null. */
        String failure;
        /**
         * Whether the outcome follows from the class file, the candidate rules and JDK types alone
         * (no supertype, annotation, application exception type or enum of another class asked):
         * only then may the weave cache keep it.
         */
        boolean cacheable = true;
        final List<WovenClass.Warning> warnings = new ArrayList<>();
        final List<List<String>> methods = new ArrayList<>();
        final List<WovenClass.SiteCall> calls = new ArrayList<>();

        Result(List<RulePlan> candidates) {
            for (int i = 0; i < candidates.size(); i++) {
                methods.add(new ArrayList<String>());
                if (candidates.get(i).needsTypeFacts()) {
                    cacheable = false;
                }
            }
        }

        void warn(int rule, String line) {
            warnings.add(new WovenClass.Warning(rule, line));
        }
    }

    private ClassWeaver() {
    }

    /** Placeholder values for one class: none of them in the class's own constant pool, none twice. */
    static final class Placeholders {
        /** The first values tried; values the class's own pool holds are skipped. */
        private static final int FIRST_INT = 0x7CA00000;
        private static final long FIRST_LONG = 0x7CA0_5EED_0000_0000L;

        private final ConstantPool original;
        private final List<Integer> ints = new ArrayList<>();
        private final List<Long> longs = new ArrayList<>();
        private int nextInt = FIRST_INT;
        private long nextLong = FIRST_LONG;

        Placeholders(ClassReader original) {
            this.original = new ConstantPool(original);
        }

        int nextInt() {
            while (original.ints.containsKey(nextInt)) {
                nextInt++;
            }
            ints.add(nextInt);
            return nextInt++;
        }

        long nextLong() {
            while (original.longs.containsKey(nextLong)) {
                nextLong++;
            }
            longs.add(nextLong);
            return nextLong++;
        }

        /**
         * Where each call's placeholders sit in the woven class file, four per call in the order
         * they were handed out (three ints, then a long, per call).
         *
         * @throws IllegalStateException when one is missing (the writer shared an entry it must not)
         */
        int[] locate(byte[] woven, int calls) {
            ConstantPool pool = new ConstantPool(new ClassReader(woven));
            if (ints.size() != 3 * calls || longs.size() != calls) {
                throw new IllegalStateException(ints.size() + " int and " + longs.size() + " long placeholders for " + calls + " calls");
            }
            int[] offsets = new int[4 * calls];
            for (int i = 0; i < calls; i++) {
                for (int j = 0; j < 3; j++) {
                    offsets[4 * i + j] = at(pool.ints.get(ints.get(3 * i + j)), ints.get(3 * i + j));
                }
                offsets[4 * i + 3] = at(pool.longs.get(longs.get(i)), longs.get(i));
            }
            return offsets;
        }

        private static int at(Integer offset, Object value) {
            if (offset == null) {
                throw new IllegalStateException("placeholder " + value + " is not in the woven constant pool");
            }
            return offset;
        }
    }

    /**
     * @param candidates rules whose patterns match this class's name
     * @return the result; its {@code woven} has no template when no method was woven
     */
    static Result weave(ClassLoader loader, String internalName, byte[] classFile, List<RulePlan> candidates,
                        boolean jdkClass, ExceptionTypes exceptionTypes, TypeFacts facts) {
        Result result = new Result(candidates);
        ClassReader reader = new ClassReader(classFile);
        String binaryName = internalName.replace('/', '.');
        byte[] template = null;
        int[] offsets = new int[0];
        if ((reader.getAccess() & Opcodes.ACC_SYNTHETIC) == 0) {
            int version = reader.readUnsignedShort(6);
            if (version < (MIN_VERSION & 0xFFFF)) {
                result.failure = "its class file version " + version + " predates Java 5";
                return result;
            }
            Placeholders placeholders = new Placeholders(reader);
            ClassWriter writer = new ClassWriter(reader, 0);
            Weaver weaver = new Weaver(writer, loader, binaryName, internalName, candidates, jdkClass, exceptionTypes, result,
                    version, facts, placeholders);
            reader.accept(weaver, 0);
            if (weaver.wovenMethods > 0) {
                template = writer.toByteArray();
                offsets = placeholders.locate(template, result.calls.size());
            }
        }
        if (facts.askedOtherTypes()) {
            result.cacheable = false;
        }
        result.woven = new WovenClass(template, offsets, result.calls, result.methods, result.warnings);
        return result;
    }

    private static final class Weaver extends ClassVisitor {
        private final ClassLoader loader;
        private final String binaryName;
        private final String internalName;
        private final List<RulePlan> candidates;
        private final boolean jdkClass;
        private final ExceptionTypes exceptionTypes;
        private final Result result;
        /** Per candidate: the resolved configured exception (null until needed), or a problem that rules it out. */
        private final ExceptionTypes.Info[] configured;
        private final int version;
        private final TypeFacts facts;
        private final Placeholders placeholders;
        private String superName;
        int wovenMethods;

        Weaver(ClassWriter writer, ClassLoader loader, String binaryName, String internalName, List<RulePlan> candidates,
               boolean jdkClass, ExceptionTypes exceptionTypes, Result result, int version, TypeFacts facts,
               Placeholders placeholders) {
            super(Opcodes.ASM9, writer);
            this.placeholders = placeholders;
            this.version = version;
            this.facts = facts;
            this.loader = loader;
            this.binaryName = binaryName;
            this.internalName = internalName;
            this.candidates = candidates;
            this.jdkClass = jdkClass;
            this.exceptionTypes = exceptionTypes;
            this.result = result;
            this.configured = new ExceptionTypes.Info[candidates.size()];
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            super.visit(version, access, name, signature, superName, interfaces);
            this.superName = superName;
        }

        /**
         * Why the dispatcher's own calls rule this method out, or null. It asks the calling thread
         * for its id on every armed call, and for its name on every call of a rule with a
         * {@code threads} condition: woven into {@code Thread.getId} (or {@code threadId}, which
         * getId calls on JDK 19+), an override of it, or {@code Thread.getName} (final), the call
         * would recurse until the stack overflows.
         */
        private String calledByTheDispatcher(String name, String descriptor) {
            boolean thread = "java.lang.Thread".equals(binaryName);
            if ("()J".equals(descriptor) && ("getId".equals(name) || "threadId".equals(name))
                    && (thread || superName != null && !"java/lang/Object".equals(superName)
                    && facts.supertypes().contains("java.lang.Thread"))) {
                return "the agent calls it on every armed call to find the calling thread's state";
            }
            if (thread && "getName".equals(name) && "()Ljava/lang/String;".equals(descriptor)) {
                return "the agent calls it on every call of a rule with a threads condition";
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (name.charAt(0) == '<'
                    || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0) {
                return mv; // constructors, initialisers, abstract, native, synthetic and bridge methods are never woven
            }
            String dispatchers = calledByTheDispatcher(name, descriptor);
            Type[] arguments = Type.getArgumentTypes(descriptor);
            String[] parameterTypes = new String[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                parameterTypes[i] = arguments[i].getClassName();
            }
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
                if (dispatchers != null) {
                    result.warn(c, "rule '" + rule.name() + "' skips " + description + ": " + dispatchers
                            + ", so a fault there would recurse");
                    continue;
                }
                String exception = exceptionFor(c, rule, description, exceptions);
                if (rule.fault().throwsException() && exception == null) {
                    continue; // exceptionFor said why
                }
                String returnValue = rule.config().returnValue();
                if (returnValue != null && !canReturn(c, rule, description, returnValue, returnType)) {
                    continue; // canReturn said why
                }
                int[] conditioned = conditionedArguments(c, rule, description, arguments.length);
                if (conditioned == null) {
                    continue; // conditionedArguments said why
                }
                if (returning == null) {
                    returning = new boolean[candidates.size()];
                    argIndexes = new int[candidates.size()][];
                }
                returning[count] = returnValue != null;
                argIndexes[count] = conditioned.length == 0 ? null : conditioned;
                count++;
                result.calls.add(new WovenClass.SiteCall(c, name, descriptor, exception, returnValue, description,
                        returnType.getDescriptor()));
                result.methods.get(c).add(description);
            }
            if (count == 0) {
                return mv;
            }
            wovenMethods++;
            return new EntryCall(mv, internalName, count, returning, argIndexes, returnType, arguments,
                    (access & Opcodes.ACC_STATIC) != 0, placeholders);
        }

        /**
         * The argument indexes the rule's conditions read, ascending (empty for none), or null when
         * the method lacks one of them (a warning says so and the method is skipped).
         */
        private int[] conditionedArguments(int c, RulePlan rule, String method, int parameters) {
            java.util.Set<Integer> wanted = rule.config().args().keySet();
            int[] out = new int[wanted.size()];
            int i = 0;
            for (int index : wanted) {
                if (index >= parameters) {
                    result.warn(c, "rule '" + rule.name() + "' skips " + method + ": chaos.rule."
                            + rule.name() + ".arg." + index + " names an argument it does not have (it takes " + parameters + ")");
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
        private boolean canReturn(int c, RulePlan rule, String method, String value, Type type) {
            if (ReturnValue.kind(value) == ReturnValue.CONSTANT) {
                result.cacheable = false; // an enum constant: whether it fits depends on another class
            }
            String why = version < Opcodes.V1_7 ? "its class file version " + version + " predates the stack map frames the"
                    + " return needs" : ReturnTypes.mismatch(value, type, loader, facts.descriptions());
            if (why == null) {
                return true;
            }
            result.warn(c, "rule '" + rule.name() + "' skips " + method + ": " + why);
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
                    ExceptionTypes.Info info = inspect(d.replace('/', '.'));
                    if (info.problem() == null) {
                        return info.name();
                    }
                    why.append(why.length() == 0 ? "" : "; ").append(info.problem());
                }
                result.warn(c, key + "=declared: rule '" + rule.name() + "' skips " + method
                        + ": none of its declared exceptions can be built (" + why + ")");
                return null;
            }
            ExceptionTypes.Info info = configured[c];
            if (info == null) {
                info = inspect(rule.exception());
                configured[c] = info;
                if (info.problem() != null) {
                    result.warn(c, key + "=" + rule.exception() + " cannot be injected into "
                            + binaryName + ": " + info.problem() + "; rule '" + rule.name() + "' skips this class");
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
            result.warn(c, "rule '" + rule.name() + "' skips " + method + ": it does not declare "
                    + info.name() + " or a supertype, and a checked exception it does not declare would reach callers that cannot expect it");
            return null;
        }

        /** An exception type as the class's loader sees it; one that is not the JDK's makes the outcome uncacheable. */
        private ExceptionTypes.Info inspect(String name) {
            ExceptionTypes.Info info = exceptionTypes.inspect(loader, name);
            if (!info.jdk()) {
                result.cacheable = false;
            }
            return info;
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
        private final int count;
        private final boolean[] returning;
        private final int[][] argIndexes;
        private final Type returnType;
        private final Type[] arguments;
        private final boolean isStatic;
        private final Placeholders placeholders;

        EntryCall(MethodVisitor mv, String owner, int count, boolean[] returning, int[][] argIndexes, Type returnType,
                  Type[] arguments, boolean isStatic, Placeholders placeholders) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.count = count;
            this.returning = returning;
            this.argIndexes = argIndexes;
            this.returnType = returnType;
            this.arguments = arguments;
            this.isStatic = isStatic;
            this.placeholders = placeholders;
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
                // site id, rule slot, generation, site key: placeholders in calls' order, bound later
                super.visitLdcInsn(placeholders.nextInt());
                super.visitLdcInsn(placeholders.nextInt());
                super.visitLdcInsn(placeholders.nextInt());
                super.visitLdcInsn(placeholders.nextLong());
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
