package io.claudesignal.sessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark's delay proxy: bytes arrive intact and in order, both ways, and never earlier than the delay. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayProxyTest {

    private static final Duration DELAY = Duration.ofMillis(50);

    private ServerSocket echo;
    private DelayProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread server = new Thread(this::serveEcho, "echo");
        server.setDaemon(true);
        server.start();
        proxy = DelayProxy.start(new InetSocketAddress("127.0.0.1", echo.getLocalPort()), DELAY);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    /** Sends back what it reads until the end of the stream, then closes: one connection at a time. */
    private void serveEcho() {
        while (!echo.isClosed()) {
            try (Socket s = echo.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
                // closed by the test, or the connection cut: the assertions tell
            }
        }
    }

    @Test
    void carriesManyMegabytesBothWaysIntactAndInOrder() throws Exception {
        byte[] sent = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(sent);
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            // Writes in odd-sized pieces from another thread while this one reads the echo back.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int at = 0; at < sent.length; at += 7_777) {
                        out.write(sent, at, Math.min(7_777, sent.length - at));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream(sent.length);
            s.getInputStream().transferTo(received); // to the end of stream: the half-close went through too
            writer.get();
            assertThat(received.toByteArray()).isEqualTo(sent);
        }
    }

    @Test
    void aRoundTripTakesAtLeastTheDelayEachWay() throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                out.write(i);
                assertThat(in.read()).isEqualTo(i);
                // A lower bound only: the proxy holds each byte for the delay in each direction.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DELAY.multipliedBy(2));
            }
        }
    }

    @Test
    void refusesATargetOffThisMachine() {
        assertThatThrownBy(() -> DelayProxy.start(new InetSocketAddress("192.0.2.1", 5432), DELAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
