package io.pathprobe.core.internal.observe;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.pathprobe.MeasurementStarted")
@Label("Lifecycle Started")
@Description("A trace, a ping of one target or a multipath discovery started probing")
final class MeasurementStartedEvent extends MeasurementEvent {}
