package io.pathprobe.agent;

import io.pathprobe.MeasurementType;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.MeasurementRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.trace.TraceRequest;

/** A job's requests, from its configuration: its probe options through each builder's {@code options(...)}. */
final class Requests {
    private Requests() {}

    static TraceRequest trace(JobConfig job, String target) {
        return TraceRequest.builder(target).options(job.options()).build();
    }

    static MultipathRequest multipath(JobConfig job, String target) {
        return MultipathRequest.builder(target).options(job.options()).build();
    }

    static MtuRequest mtu(JobConfig job, String target) {
        return MtuRequest.builder(target).options(job.options()).build();
    }

    static PingRequest ping(JobConfig job) {
        return PingRequest.builder(job.targets().toArray(String[]::new)).count(job.count())
                .interval(job.probeInterval()).options(job.options()).build();
    }

    static MonitorRequest monitor(JobConfig job, String target, MonitorListener listener) {
        return MonitorRequest.builder(trace(job, target)).interval(job.interval()).listener(listener).build();
    }

    /**
     * Builds the job's requests once, so that a schedule the builders refuse is refused when it is read.
     *
     * @throws IllegalArgumentException as the request builder throws it
     */
    static void check(JobConfig job) {
        String first = job.targets().get(0);
        if (job.kind() == MeasurementType.MONITOR) {
            monitor(job, first, MonitorListener.NONE);
        } else {
            repeated(job, first);
        }
    }

    /**
     * {@return the request of one run of a repeated job (a trace, multipath, MTU or ping job) toward {@code target}}
     *
     * @throws IllegalArgumentException if the job is a monitor's (its rounds repeat inside one request)
     */
    static MeasurementRequest<?> repeated(JobConfig job, String target) {
        MeasurementType<?, ?> kind = job.kind();
        if (kind == MeasurementType.TRACE) {
            return trace(job, target);
        } else if (kind == MeasurementType.MULTIPATH) {
            return multipath(job, target);
        } else if (kind == MeasurementType.MTU) {
            return mtu(job, target);
        } else if (kind == MeasurementType.PING) {
            return ping(job);
        }
        throw new IllegalArgumentException("not a repeated job: " + kind);
    }
}
