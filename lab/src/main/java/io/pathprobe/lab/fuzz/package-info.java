/**
 * The project's parser fuzzing support, shared by the native-linux and core test suites: a seeded,
 * structure-aware mutator and outcome statistics over {@link io.pathprobe.lab.fuzz.FuzzSupport.Target}s.
 */
@NullMarked
package io.pathprobe.lab.fuzz;

import org.jspecify.annotations.NullMarked;
