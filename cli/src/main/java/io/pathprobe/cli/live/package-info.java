/**
 * {@code pathprobe mtr}'s live screen: {@link io.pathprobe.cli.live.ScreenModel} (the statistics counted from the
 * rounds the monitors' listeners hear, mtr's keys and the lines they draw, no terminal) and
 * {@link io.pathprobe.cli.live.LiveScreen} (JLine's terminal: raw mode, the alternate screen, the keys, resizes, and
 * the terminal restored on every way out).
 */
@NullMarked
package io.pathprobe.cli.live;

import org.jspecify.annotations.NullMarked;
