/*
 * The benchmark's media probe in C (bench/counter.ts builds it with gcc and drives it): the same
 * two jobs as bench/probe.ts, without a JavaScript event loop or a garbage collector in the media
 * path, so that it keeps up with tens of thousands of packets per second and cannot pause for
 * hundreds of milliseconds on a busy core:
 *  - relay: ffmpeg -> here -> the studio's PlainTransport. Notes when the first packet of each
 *    RTP timestamp passed (the moment it enters the SFU) and the longest pause between two packets.
 *  - counter: every viewer's consumer sends SRTP here (RTP headers are clear under SRTP): per SSRC
 *    received, extended sequence numbers, first arrival, latency of each new RTP timestamp.
 * Sockets are read in batches (recvmmsg), receive buffers are 32 MB (SO_RCVBUFFORCE as root).
 * Clock: CLOCK_MONOTONIC, the clock of Node's process.hrtime.bigint().
 *
 * Commands, one a line on stdin:
 *   start <ingest-ip> <ingest-port> [<mirror-ip> <mirror-port>]...   (ingest port 0: no relay)
 *   track <ssrc> v|a
 *   snapshot <id>
 *   stop
 * Answers, one JSON object a line on stdout: {"type":"ready",...} then {"type":"snapshot",...}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define PKT 2048
#define MAX_TRACKS 8192            /* a power of two: open addressing */
#define SEND_SLOTS 4096            /* RTP timestamps remembered per kind (> 60 s of video) */
#define MAX_LATENCY 50000          /* window reservoir */
#define MAX_TRACK_SAMPLES 4000     /* per track and window */
#define MAX_MIRRORS 8
#define VIDEO_SSRC 22222222u
#define AUDIO_SSRC 11111111u
#define RCVBUF (32 << 20)
#define COUNTER_POLL_NS 1000000ull /* the counter socket is read every 1 ms (see main) */

typedef struct {
  uint32_t ssrc;
  int used;
  int kind; /* -1 unknown, 0 video, 1 audio */
  uint64_t received;
  int64_t first_ext, max_ext;
  uint32_t last_ts;
  uint64_t first_arrival;
  float *lat;
  uint32_t lat_n, lat_seen;
} track_t;

static track_t tracks[MAX_TRACKS];
static int32_t kinds_ssrc_kind[MAX_TRACKS]; /* told kinds: ssrc table below */
static uint32_t kinds_ssrc[MAX_TRACKS];
static int kinds_used[MAX_TRACKS];
static struct { uint32_t ts; uint64_t at; int used; } sent[2][SEND_SLOTS];
static float latency[MAX_LATENCY];
static uint32_t lat_n, lat_seen;
static uint64_t relayed, ingest_kinds[2], last_relay_at, relay_max_gap;
static struct sockaddr_in ingest, mirrors[MAX_MIRRORS];
static int have_ingest, n_mirrors;
static int out_fd;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint32_t rd32(const unsigned char *p) { return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]; }
static uint64_t rd64(const unsigned char *p) { return ((uint64_t)rd32(p) << 32) | rd32(p + 4); }
static void wr32(unsigned char *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

static uint32_t slot_of(uint32_t ssrc) { return (ssrc * 2654435761u) & (MAX_TRACKS - 1); }

static int told_kind(uint32_t ssrc) {
  for (uint32_t i = slot_of(ssrc), n = 0; n < MAX_TRACKS; i = (i + 1) & (MAX_TRACKS - 1), n++) {
    if (!kinds_used[i]) return -1;
    if (kinds_ssrc[i] == ssrc) return kinds_ssrc_kind[i];
  }
  return -1;
}

static void tell_kind(uint32_t ssrc, int kind) {
  for (uint32_t i = slot_of(ssrc), n = 0; n < MAX_TRACKS; i = (i + 1) & (MAX_TRACKS - 1), n++) {
    if (!kinds_used[i] || kinds_ssrc[i] == ssrc) {
      kinds_used[i] = 1;
      kinds_ssrc[i] = ssrc;
      kinds_ssrc_kind[i] = kind;
      return;
    }
  }
}

static track_t *track_of(uint32_t ssrc) {
  for (uint32_t i = slot_of(ssrc), n = 0; n < MAX_TRACKS; i = (i + 1) & (MAX_TRACKS - 1), n++) {
    if (!tracks[i].used) return &tracks[i];
    if (tracks[i].ssrc == ssrc) return &tracks[i];
  }
  return NULL; /* full: bounded, the packet is not counted */
}

/* Returns 1 when `ts` is new for `kind`. */
static int remember(int kind, uint32_t ts, uint64_t at) {
  uint32_t s = (ts / 8) % SEND_SLOTS; /* video steps by 3000, audio by 960: both multiples of 8 */
  if (sent[kind][s].used && sent[kind][s].ts == ts) return 0;
  sent[kind][s].used = 1;
  sent[kind][s].ts = ts;
  sent[kind][s].at = at;
  return 1;
}

static int sent_at(int kind, uint32_t ts, uint64_t *at) {
  uint32_t s = (ts / 8) % SEND_SLOTS;
  if (!sent[kind][s].used || sent[kind][s].ts != ts) return 0;
  *at = sent[kind][s].at;
  return 1;
}

static void sample(float *arr, uint32_t *n, uint32_t *seen, uint32_t cap, float v) {
  (*seen)++;
  if (*n < cap) arr[(*n)++] = v;
  else {
    uint32_t j = (uint32_t)(((double)rand() / ((double)RAND_MAX + 1)) * *seen);
    if (j < cap) arr[j] = v;
  }
}

static void relay_packet(const unsigned char *m, size_t len) {
  if (len < 12) return;
  uint32_t ssrc = rd32(m + 8);
  int kind = ssrc == VIDEO_SSRC ? 0 : ssrc == AUDIO_SSRC ? 1 : -1;
  uint64_t at = now_ns();
  if (kind >= 0) {
    uint32_t ts = rd32(m + 4);
    if (remember(kind, ts, at)) {
      unsigned char note[16] = {0};
      note[1] = (unsigned char)kind;
      wr32(note + 4, ts);
      wr32(note + 8, (uint32_t)(at >> 32));
      wr32(note + 12, (uint32_t)at);
      for (int i = 0; i < n_mirrors; i++) sendto(out_fd, note, 16, 0, (struct sockaddr *)&mirrors[i], sizeof mirrors[i]);
    }
    ingest_kinds[kind]++;
  }
  if (have_ingest) {
    relayed++;
    if (last_relay_at && at - last_relay_at > relay_max_gap) relay_max_gap = at - last_relay_at;
    last_relay_at = at;
    sendto(out_fd, m, len, 0, (struct sockaddr *)&ingest, sizeof ingest);
  }
}

static void count_packet(const unsigned char *m, size_t len, uint64_t t) {
  if (len == 16 && m[0] == 0) {
    remember(m[1] == 0 ? 0 : 1, rd32(m + 4), rd64(m + 8));
    return;
  }
  if (len < 12 || (m[0] & 0xc0) != 0x80) return;
  int pt = m[1] & 0x7f;
  if (pt >= 64 && pt <= 95) return; /* RTCP (rtcp-mux) */
  uint32_t ssrc = rd32(m + 8);
  uint32_t seq = ((uint32_t)m[2] << 8) | m[3];
  uint32_t ts = rd32(m + 4);
  track_t *tr = track_of(ssrc);
  if (!tr) return;
  if (!tr->used) {
    memset(tr, 0, sizeof *tr);
    tr->used = 1;
    tr->ssrc = ssrc;
    tr->kind = told_kind(ssrc);
    tr->first_ext = tr->max_ext = seq;
    tr->last_ts = ts ^ 1;
    tr->first_arrival = t;
  }
  tr->received++;
  int64_t cycle = tr->max_ext - (tr->max_ext & 0xffff);
  int64_t ext = cycle + seq;
  if (ext < tr->max_ext - 0x8000) ext += 0x10000;
  else if (ext > tr->max_ext + 0x8000) ext -= 0x10000;
  if (ext > tr->max_ext) tr->max_ext = ext;
  if (ext < tr->first_ext) tr->first_ext = ext;
  if (ts != tr->last_ts) {
    tr->last_ts = ts;
    if (tr->kind < 0) tr->kind = told_kind(ssrc);
    uint64_t at;
    if (tr->kind >= 0 && sent_at(tr->kind, ts, &at) && t >= at) {
      float ms = (float)((double)(t - at) / 1e6);
      sample(latency, &lat_n, &lat_seen, MAX_LATENCY, ms);
      if (!tr->lat) tr->lat = malloc(sizeof(float) * MAX_TRACK_SAMPLES);
      if (tr->lat) sample(tr->lat, &tr->lat_n, &tr->lat_seen, MAX_TRACK_SAMPLES, ms);
    }
  }
}

static int cmpf(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return x < y ? -1 : x > y;
}

static double quantile(float *sorted, uint32_t n, double p) {
  if (n == 0) return -1;
  long i = (long)((p / 100) * n + 0.999999) - 1;
  if (i < 0) i = 0;
  if (i >= (long)n) i = n - 1;
  return sorted[i];
}

static void snapshot(long id) {
  /* JSON: nulls for "no sample" (the Node side turns them into NaN). */
  printf("{\"type\":\"snapshot\",\"id\":%ld,\"nowNs\":\"%llu\",\"ssrcs\":[", id, (unsigned long long)now_ns());
  int first = 1;
  for (int i = 0; i < MAX_TRACKS; i++) {
    track_t *tr = &tracks[i];
    if (!tr->used) continue;
    printf("%s{\"ssrc\":%u,\"received\":%llu,\"firstExt\":%lld,\"maxExt\":%lld,\"firstArrivalNs\":\"%llu\"}", first ? "" : ",", tr->ssrc,
           (unsigned long long)tr->received, (long long)tr->first_ext, (long long)tr->max_ext, (unsigned long long)tr->first_arrival);
    first = 0;
  }
  printf("],\"latencyMs\":[");
  for (uint32_t i = 0; i < lat_n; i++) printf("%s%.3f", i ? "," : "", latency[i]);
  printf("],\"latencyBySsrc\":[");
  first = 1;
  for (int i = 0; i < MAX_TRACKS; i++) {
    track_t *tr = &tracks[i];
    if (!tr->used) continue;
    if (tr->lat_n) qsort(tr->lat, tr->lat_n, sizeof(float), cmpf);
    double p50 = quantile(tr->lat, tr->lat_n, 50), p99 = quantile(tr->lat, tr->lat_n, 99);
    if (tr->lat_n) printf("%s{\"ssrc\":%u,\"p50\":%.3f,\"p99\":%.3f,\"samples\":%u}", first ? "" : ",", tr->ssrc, p50, p99, tr->lat_seen);
    else printf("%s{\"ssrc\":%u,\"p50\":null,\"p99\":null,\"samples\":0}", first ? "" : ",", tr->ssrc);
    first = 0;
    tr->lat_n = tr->lat_seen = 0;
  }
  printf("],\"relayed\":%llu,\"relayMaxGapMs\":%.3f,\"ingestKinds\":{\"video\":%llu,\"audio\":%llu}}\n", (unsigned long long)relayed,
         (double)relay_max_gap / 1e6, (unsigned long long)ingest_kinds[0], (unsigned long long)ingest_kinds[1]);
  fflush(stdout);
  relay_max_gap = 0;
  lat_n = lat_seen = 0;
}

static int bind_udp(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) { perror("socket"); exit(1); }
  int size = RCVBUF;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  return fd;
}

static int port_of(int fd) {
  struct sockaddr_in a;
  socklen_t l = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &l);
  return ntohs(a.sin_port);
}

static int command(char *line) {
  char *save, *w = strtok_r(line, " \n", &save);
  if (!w) return 0;
  if (!strcmp(w, "start")) {
    char *ip = strtok_r(NULL, " \n", &save), *port = strtok_r(NULL, " \n", &save);
    if (ip && port && atoi(port) > 0) {
      ingest.sin_family = AF_INET;
      ingest.sin_port = htons((uint16_t)atoi(port));
      inet_pton(AF_INET, ip, &ingest.sin_addr);
      have_ingest = 1;
    }
    while (n_mirrors < MAX_MIRRORS && (ip = strtok_r(NULL, " \n", &save)) && (port = strtok_r(NULL, " \n", &save))) {
      mirrors[n_mirrors].sin_family = AF_INET;
      mirrors[n_mirrors].sin_port = htons((uint16_t)atoi(port));
      inet_pton(AF_INET, ip, &mirrors[n_mirrors].sin_addr);
      n_mirrors++;
    }
  } else if (!strcmp(w, "track")) {
    char *ssrc = strtok_r(NULL, " \n", &save), *kind = strtok_r(NULL, " \n", &save);
    if (ssrc && kind) tell_kind((uint32_t)strtoul(ssrc, NULL, 10), kind[0] == 'v' ? 0 : 1);
  } else if (!strcmp(w, "snapshot")) {
    char *id = strtok_r(NULL, " \n", &save);
    snapshot(id ? atol(id) : 0);
  } else if (!strcmp(w, "stop")) {
    return 1;
  }
  return 0;
}

/* Reads what is queued on `fd` in batches, bounded so that one socket cannot starve the others. */
static void drain(int fd, int counter, int video, int audio) {
  static unsigned char bufs[BATCH][PKT];
  static unsigned char ctrl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
  static struct mmsghdr msgs[BATCH];
  static struct iovec iov[BATCH];
  for (int rounds = 0; rounds < 64; rounds++) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = PKT;
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = ctrl[i];
      msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
    }
    int got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (got <= 0) break;
    uint64_t t = now_ns();
    /* The kernel's arrival time (SO_TIMESTAMPNS, CLOCK_REALTIME) moved onto CLOCK_MONOTONIC:
       a batch read late still counts each packet's latency from when it arrived. */
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int64_t offset = (int64_t)((uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec) - (int64_t)t;
    for (int i = 0; i < got; i++) {
      uint64_t at = t;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          struct timespec k;
          memcpy(&k, CMSG_DATA(c), sizeof k);
          int64_t mono = (int64_t)((uint64_t)k.tv_sec * 1000000000ull + (uint64_t)k.tv_nsec) - offset;
          if (mono > 0 && (uint64_t)mono <= t) at = (uint64_t)mono;
        }
      }
      if (fd == counter) count_packet(bufs[i], msgs[i].msg_len, at);
      else if (fd == video || fd == audio) relay_packet(bufs[i], msgs[i].msg_len);
    }
    if (got < BATCH) break;
  }
}

int main(void) {
  out_fd = bind_udp();
  int video = bind_udp(), audio = bind_udp(), rtcp = bind_udp(), counter = bind_udp();
  int on = 1;
  setsockopt(counter, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  printf("{\"type\":\"ready\",\"relay\":{\"video\":%d,\"audio\":%d,\"rtcp\":%d},\"counter\":{\"ip\":\"127.0.0.1\",\"port\":%d}}\n", port_of(video),
         port_of(audio), port_of(rtcp), port_of(counter));
  fflush(stdout);

  /* The counter's socket is NOT watched by epoll: it is read every COUNTER_POLL_NS instead. On
     loopback the kernel delivers a datagram inside the sender's sendmsg(), so a receiver asleep
     on the socket is woken (try_to_wake_up, an IPI to the other core) on the worker's CPU time:
     10 % of the worker's profile at 200 viewers. A viewer's real receiver is on another machine
     and costs the SFU's host nothing; polling keeps the counter off the socket's wait queue, so
     the worker pays for queueing each packet, not for waking the bench. Arrival times still come
     from the kernel (SO_TIMESTAMPNS), so latency is not bent by the poll. The relay's sockets stay
     event-driven: ffmpeg pays their wakeups, and the relay forwards at once. */
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int fds[] = {video, audio, rtcp, 0};
  for (int i = 0; i < 4; i++) {
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
  }
  static char line[1 << 16];
  size_t line_len = 0;
  uint64_t last_poll = 0;
  for (;;) {
    struct epoll_event evs[8];
    int n = epoll_wait(ep, evs, 8, 1);
    if (n < 0 && errno != EINTR) return 1;
    for (int e = 0; e < n; e++) {
      int fd = evs[e].data.fd;
      if (fd == 0) {
        ssize_t r = read(0, line + line_len, sizeof line - 1 - line_len);
        if (r <= 0) return 0; /* the bench went away */
        line_len += (size_t)r;
        char *nl;
        while ((nl = memchr(line, '\n', line_len))) {
          *nl = 0;
          /* A snapshot counts what has arrived: read the counter's socket first. */
          if (strncmp(line, "snapshot", 8) == 0) drain(counter, counter, video, audio);
          if (command(line)) return 0;
          size_t used = (size_t)(nl - line) + 1;
          memmove(line, nl + 1, line_len - used);
          line_len -= used;
        }
        if (line_len == sizeof line - 1) line_len = 0; /* a line too long: dropped */
        continue;
      }
      drain(fd, counter, video, audio);
    }
    uint64_t now = now_ns();
    if (now - last_poll >= COUNTER_POLL_NS) {
      last_poll = now;
      drain(counter, counter, video, audio);
    }
  }
}
