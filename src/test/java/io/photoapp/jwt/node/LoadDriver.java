package io.photoapp.jwt.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live traffic through a Service, as users make it: logins at a steady rate (each token kept in a
 * pool), and {@code /api} calls at a steady rate, each with a token picked at random from the pool,
 * so most are verified by another pod than the one that signed. Every call is a new connection
 * (HTTP/1.0), so the Service spreads calls over the pods as it spreads users.
 *
 * <p>It counts every {@code /api} answer: accepted, refused while the token had not expired (a
 * logout), refused once expired, and no answer (connection refused, timeout, 5xx). Tokens never
 * leave it: only key ids and pod names are reported. Its loops are bounded in time and count: it
 * stops by itself after {@code maxDuration} or {@code maxRequests}, whichever comes first.
 */
final class LoadDriver implements AutoCloseable {
  private static final Pattern KID = Pattern.compile("\\bkid=(\\S+)");
  private static final Pattern POD = Pattern.compile("\\bpod=(\\S+)");
  private static final Pattern TOKEN = Pattern.compile("\\btoken=(\\S+)");
  private static final Pattern REFUSED = Pattern.compile("\\brefused=(\\S+)");
  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");
  private static final int POOL = 300;
  /** A token this close to its expiry may expire on the way: its refusal is not counted as a logout. */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(2);

  record Token(String value, String kid, String pod, Instant expires) {}

  /** What happened to the tokens of one key id. */
  static final class KidStats {
    final AtomicLong issued = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    volatile Instant firstAccepted;
    volatile Instant lastAccepted;
    volatile Instant lastAcceptedRequestStart;
  }

  /** One refusal of an unexpired token: when, whose key, who signed, who refused, why. */
  record Rejection(Instant at, String kid, String signedBy, String refusedBy, String reason) {}

  /** The counts of a run. */
  record Report(long logins, long loginFailures, long calls, long accepted, long rejectedUnexpired, long rejectedExpired,
      long unavailable, long crossPod, Duration duration, Map<String, KidStats> kids, List<Rejection> rejections) {
    long requests() {
      return logins + loginFailures + calls;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
          "%d requests in %.0f s: %d logins (%d failed), %d /api calls: %d accepted, %d rejected unexpired, %d rejected expired,"
              + " %d unanswered; %d verified by another pod than the signer",
          requests(), duration.toMillis() / 1000.0, logins, loginFailures, calls, accepted, rejectedUnexpired, rejectedExpired,
          unavailable, crossPod));
      new TreeMap<>(kids).forEach((kid, k) -> s.append(String.format("%n  kid %s: issued %d, accepted %d, rejected %d", kid,
          k.issued.get(), k.accepted.get(), k.rejected.get())));
      rejections.stream().limit(5).forEach(r -> s.append("\n  rejected: ").append(r));
      return s.toString();
    }
  }

  private final InetSocketAddress login;
  private final InetSocketAddress api;
  private final Clock clock;
  private final Duration maxDuration;
  private final long maxRequests;
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(6, r -> {
    Thread t = new Thread(r, "load-driver");
    t.setDaemon(true);
    return t;
  });
  private final CopyOnWriteArrayList<Token> tokens = new CopyOnWriteArrayList<>();
  private final Map<String, KidStats> kids = new ConcurrentHashMap<>();
  private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong loginFailures = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejectedUnexpired = new AtomicLong();
  private final AtomicLong rejectedExpired = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicLong crossPod = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile Instant started;
  private volatile Instant stopped;

  LoadDriver(InetSocketAddress login, InetSocketAddress api, Clock clock, Duration maxDuration, long maxRequests) {
    this.login = login;
    this.api = api;
    this.clock = clock;
    this.maxDuration = maxDuration;
    this.maxRequests = maxRequests;
  }

  /** Starts {@code loginsPerSecond} logins and {@code callsPerSecond} calls a second, over two and four workers. */
  LoadDriver start(int loginsPerSecond, int callsPerSecond) {
    started = clock.instant();
    for (int i = 0; i < 2; i++) {
      long period = 2_000_000L / loginsPerSecond;
      pool.scheduleAtFixedRate(this::loginOnce, i * period / 2, period, TimeUnit.MICROSECONDS);
    }
    for (int i = 0; i < 4; i++) {
      long period = 4_000_000L / callsPerSecond;
      pool.scheduleAtFixedRate(this::callOnce, 500_000 + i * period / 4, period, TimeUnit.MICROSECONDS);
    }
    return this;
  }

  /** Waits until at least {@code count} tokens are in the pool (bounded by {@code timeout}). */
  void awaitTokens(int count, Duration timeout) throws InterruptedException {
    Instant end = clock.instant().plus(timeout);
    while (tokens.size() < count && clock.instant().isBefore(end)) {
      Thread.sleep(200);
    }
    if (tokens.size() < count) {
      throw new AssertionError("no logins through " + login + " within " + timeout + ": " + report());
    }
  }

  KidStats kid(String kid) {
    return kids.computeIfAbsent(kid, k -> new KidStats());
  }

  private boolean exhausted() {
    if (requests.incrementAndGet() > maxRequests || clock.instant().isAfter(started.plus(maxDuration))) {
      pool.shutdown();
      return true;
    }
    return false;
  }

  private void loginOnce() {
    if (exhausted()) {
      return;
    }
    try {
      String user = "user" + ThreadLocalRandom.current().nextInt(1000);
      Answer a = get(login, "/login?user=" + user, null);
      String token = find(TOKEN, a.body());
      if (a.status() != 200 || token == null) {
        loginFailures.incrementAndGet();
        return;
      }
      Token t = new Token(token, find(KID, a.body()), find(POD, a.body()), expiry(token));
      logins.incrementAndGet();
      kid(t.kid()).issued.incrementAndGet();
      tokens.add(t);
      Instant now = clock.instant();
      tokens.removeIf(x -> x.expires().isBefore(now));
      while (tokens.size() > POOL) {
        tokens.remove(0);
      }
    } catch (IOException | RuntimeException e) {
      loginFailures.incrementAndGet();
    }
  }

  private void callOnce() {
    try {
      callOnceUnguarded();
    } catch (RuntimeException e) {
      // a garbled answer: counted as none, and the schedule goes on (a task that throws is never run again)
      unavailable.incrementAndGet();
    }
  }

  private void callOnceUnguarded() {
    if (exhausted() || tokens.isEmpty()) {
      return;
    }
    Token t;
    try {
      t = tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
    } catch (IndexOutOfBoundsException raced) {
      return;
    }
    Instant sent = clock.instant();
    Answer a;
    try {
      a = get(api, "/api", t.value());
    } catch (IOException e) {
      calls.incrementAndGet();
      unavailable.incrementAndGet();
      return;
    }
    calls.incrementAndGet();
    String by = find(POD, a.body());
    if (by != null && !by.equals(t.pod())) {
      crossPod.incrementAndGet();
    }
    KidStats k = kid(t.kid());
    if (a.status() == 200) {
      accepted.incrementAndGet();
      k.accepted.incrementAndGet();
      Instant now = clock.instant();
      if (k.firstAccepted == null) {
        k.firstAccepted = now;
      }
      k.lastAccepted = now;
      k.lastAcceptedRequestStart = sent;
    } else if (a.status() == 401) {
      k.rejected.incrementAndGet();
      if (t.expires().isAfter(sent.plus(EXPIRY_MARGIN))) {
        rejectedUnexpired.incrementAndGet();
        if (rejections.size() < 200) {
          rejections.add(new Rejection(sent, t.kid(), t.pod(), by, find(REFUSED, a.body())));
        }
      } else {
        rejectedExpired.incrementAndGet();
      }
    } else {
      unavailable.incrementAndGet();
    }
  }

  Report report() {
    Instant end = stopped != null ? stopped : clock.instant();
    return new Report(logins.get(), loginFailures.get(), calls.get(), accepted.get(), rejectedUnexpired.get(), rejectedExpired.get(),
        unavailable.get(), crossPod.get(), Duration.between(started, end), Map.copyOf(kids), List.copyOf(rejections));
  }

  /** Stops the traffic (waiting for calls in flight) and returns the counts. */
  Report stop() throws InterruptedException {
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    stopped = clock.instant();
    return report();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  static Instant expiry(String token) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    Matcher m = EXP.matcher(payload);
    if (!m.find()) {
      throw new IllegalStateException("a token without exp");
    }
    return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
  }

  private static String find(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : null;
  }

  record Answer(int status, String body) {}

  /** One GET on a new connection (HTTP/1.0, closed after the answer); at most 2 s to connect and 3 s to answer. */
  static Answer get(InetSocketAddress to, String path, String bearer) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(to, 2000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      String request = "GET " + path + " HTTP/1.0\r\nHost: " + to.getHostString() + "\r\n"
          + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] b = new byte[4096];
      int n;
      while ((n = in.read(b)) > 0 && buf.size() < 16384) {
        buf.write(b, 0, n);
      }
      String answer = buf.toString(StandardCharsets.UTF_8);
      int eol = answer.indexOf("\r\n");
      String[] status = (eol < 0 ? answer : answer.substring(0, eol)).split(" ");
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IOException("no HTTP answer");
      }
      int body = answer.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(status[1]), body < 0 ? "" : answer.substring(body + 4));
    }
  }

  static List<String> kidsOf(Report r) {
    return new ArrayList<>(new TreeMap<>(r.kids()).keySet());
  }
}
