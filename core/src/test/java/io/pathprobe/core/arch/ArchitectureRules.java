package io.pathprobe.core.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SliceRule;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The architecture rules of issue 20, as functions over a source tree or a set of imported classes, so that
 * {@link ArchitectureTest} applies them to core's main code and {@link ArchitectureRulesTest} shows on made-up
 * classes that each one catches what it should.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    // ---- (1) issue 20: "No class in core/src/main over 600 lines" -------------------------------------------

    /** The longest a source file may be. */
    static final int MAX_LINES = 600;

    static int lineCount(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return text.isEmpty() || text.endsWith("\n") ? lines : lines + 1;
    }

    // ---- (2) issue 20: "every strategy free of threads, locks and clock reads" -----------------------------

    /** The packages every strategy may share state types from, besides its own. */
    static final String PROBE_PACKAGE = "io.pathprobe.core.internal.probe";
    static final String RATELIMIT_PACKAGE = "io.pathprobe.core.internal.ratelimit";

    /**
     * The strategies and what they are made of: every class implementing {@link ProbingStrategy} (wherever it
     * lives, so a future {@code BufferbloatStrategy} is in as soon as it implements the interface), and every
     * class those use, transitively, that sits in a strategy package: the package of a strategy, or one of
     * {@code extraPackages} ({@link #PROBE_PACKAGE}, {@link #RATELIMIT_PACKAGE}). Runtime, observe and api types
     * they use are not strategy code and are left out.
     */
    static Set<JavaClass> strategyClasses(JavaClasses classes, Set<String> extraPackages) {
        Set<JavaClass> roots = classes.stream()
                .filter(c -> !c.isInterface() && c.isAssignableTo(ProbingStrategy.class))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> packages = new TreeSet<>(extraPackages);
        roots.forEach(c -> packages.add(c.getPackageName()));
        Set<JavaClass> found = new LinkedHashSet<>(roots);
        Deque<JavaClass> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            JavaClass next = todo.pop();
            for (Dependency d : next.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (packages.contains(target.getPackageName())
                        && classes.contain(target.getName())
                        && found.add(classes.get(target.getName()))) {
                    todo.push(classes.get(target.getName()));
                }
            }
        }
        return found;
    }

    /** Types a strategy may not touch: each starts or hands work to a thread. */
    static final Set<String> THREAD_TYPES = Set.of(
            "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.Thread$Builder",
            "java.util.Timer", "java.util.TimerTask",
            "java.util.concurrent.Executor", "java.util.concurrent.ExecutorService",
            "java.util.concurrent.ScheduledExecutorService", "java.util.concurrent.Executors",
            "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.ForkJoinTask",
            "java.util.concurrent.ThreadFactory", "java.util.concurrent.CompletableFuture",
            "java.util.concurrent.CompletionStage", "java.util.concurrent.Future",
            "java.util.concurrent.FutureTask", "java.util.concurrent.ScheduledFuture");

    /** Types that block or guard (besides everything in {@code java.util.concurrent.locks}). */
    static final Set<String> LOCK_TYPES = Set.of(
            "java.util.concurrent.CountDownLatch", "java.util.concurrent.Semaphore",
            "java.util.concurrent.CyclicBarrier", "java.util.concurrent.Phaser",
            "java.util.concurrent.Exchanger");

    /** Types that are clocks: a strategy is handed {@code now}. */
    static final Set<String> CLOCK_TYPES = Set.of(
            "java.time.Clock", "java.time.InstantSource", "io.pathprobe.core.internal.runtime.Ticker");

    /** {@code synchronized (x) {} } in source: the bytecode's monitorenter is not in ArchUnit's model. */
    private static final Pattern SYNCHRONIZED_BLOCK = Pattern.compile("\\bsynchronized\\s*\\(");

    /**
     * What in {@code strategyClasses} uses a thread, a lock or a clock, one line each, e.g.
     * {@code "clock: TraceStrategy.next(long) calls System.nanoTime()"}. Synchronized methods are found by their
     * ACC_SYNCHRONIZED flag ({@link JavaModifier#SYNCHRONIZED}); synchronized blocks compile to monitorenter, which
     * ArchUnit does not model, so they are found in the class's source file under {@code sourceRoot} instead.
     */
    static Set<String> impurities(Set<JavaClass> strategyClasses, Path sourceRoot) {
        Set<String> found = new TreeSet<>();
        for (JavaClass c : strategyClasses) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                String name = target.getName();
                String kind = THREAD_TYPES.contains(name) ? "thread"
                        : name.startsWith("java.util.concurrent.locks.") || LOCK_TYPES.contains(name) ? "lock"
                        : CLOCK_TYPES.contains(name) ? "clock"
                        : null;
                if (kind != null) {
                    found.add(kind + ": " + c.getName() + " uses " + name + " " + d.getSourceCodeLocation());
                }
            }
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                String owner = call.getTargetOwner().getName();
                String method = call.getName();
                String kind = null;
                if (owner.equals("java.lang.System") && (method.equals("nanoTime") || method.equals("currentTimeMillis"))) {
                    kind = "clock";
                } else if (owner.startsWith("java.time.") && method.equals("now")) {
                    kind = "clock"; // Instant.now, LocalDateTime.now, ZonedDateTime.now, ...
                } else if (owner.equals("java.util.concurrent.TimeUnit") && method.equals("sleep")) {
                    kind = "thread";
                } else if (owner.equals("java.lang.Object")
                        && (method.equals("wait") || method.equals("notify") || method.equals("notifyAll"))) {
                    kind = "lock";
                }
                if (kind != null) {
                    found.add(kind + ": " + c.getName() + " calls " + owner + "." + method + "() "
                            + call.getSourceCodeLocation());
                }
            }
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (unit.getModifiers().contains(JavaModifier.SYNCHRONIZED)) {
                    found.add("lock: " + unit.getFullName() + " is synchronized");
                }
            }
            sourceOf(c, sourceRoot).ifPresent(text -> {
                int line = 1;
                for (String l : text.split("\n", -1)) {
                    if (SYNCHRONIZED_BLOCK.matcher(stripComment(l)).find()) {
                        found.add("lock: synchronized block in " + c.getPackageName().replace('.', '/') + "/"
                                + c.getSource().flatMap(s -> s.getFileName()).orElse("?") + ":" + line);
                    }
                    line++;
                }
            });
        }
        return found;
    }

    private static String stripComment(String line) {
        int at = line.indexOf("//");
        return at < 0 ? line : line.substring(0, at);
    }

    private static java.util.Optional<String> sourceOf(JavaClass c, Path sourceRoot) {
        return c.getSource().flatMap(s -> s.getFileName()).map(name ->
                sourceRoot.resolve(c.getPackageName().replace('.', '/')).resolve(name)).filter(Files::isRegularFile)
                .map(f -> {
                    try {
                        return Files.readString(f, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    // ---- (3) issue 20: "no import cycle between packages" ----------------------------------------------------

    /**
     * Dependencies known to close a cycle today, ignored until they go: from {@code origin} to {@code target}, each
     * a class (its nested classes included) or, ending in {@code ".*"}, every class of one package.
     */
    record KnownEdge(String origin, String target, String why) {}

    /**
     * Every package named {@code root} or under it is a slice (the root package too: ArchUnit's
     * {@code "root.(**)"} pattern leaves it out, and api's PathTracer sits there); no cycle between them, except
     * through the {@code known} edges (from a class or its nested classes to a class or its nested classes).
     */
    static SliceRule noPackageCycles(String root, List<KnownEdge> known) {
        SliceAssignment byPackage = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages " + root + " and " + root + ".**";
            }
        };
        SliceRule rule = slices().assignedFrom(byPackage).should().beFreeOfCycles();
        for (KnownEdge e : known) {
            rule = rule.ignoreDependency(nameOrNested(e.origin()), nameOrNested(e.target()));
        }
        return rule;
    }

    static EvaluationResult cycles(JavaClasses classes, String root, List<KnownEdge> known) {
        return noPackageCycles(root, known).evaluate(classes);
    }

    private static DescribedPredicate<JavaClass> nameOrNested(String name) {
        if (name.endsWith(".*")) {
            String pkg = name.substring(0, name.length() - 2);
            return DescribedPredicate.describe(name, c -> c.getPackageName().equals(pkg));
        }
        return DescribedPredicate.describe(name, c -> c.getName().equals(name) || c.getName().startsWith(name + "$"));
    }
}
