package io.pathprobe.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ResponseListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Collects the responses a session delivers, for the transport tests. */
final class Collector implements ResponseListener {
    final List<ProbeResponse> responses = new CopyOnWriteArrayList<>();

    @Override
    public void onResponse(ProbeResponse r) {
        responses.add(r);
    }

    /** {@return the responses so far: every answer already received has been delivered once this returns} */
    List<ProbeResponse> settled(ProbeSession s) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        s.afterPendingAnswers(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return new ArrayList<>(responses);
    }
}
