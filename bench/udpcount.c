/*
 * The benchmark's media probe in C (bench/counter.ts builds it with gcc and drives it): the same
 * two jobs as bench/probe.ts, without a JavaScript event loop or a garbage collector in the media
 * path, so that it keeps up with tens of thousands of packets per second and cannot pause for
 * hundreds of milliseconds on a busy core:
 *  - relay: ffmpeg -> here -> the studio's PlainTransport. Notes when the first packet of each
 *    RTP timestamp passed (the moment it enters the SFU) and the longest pause between two packets.
 *  - counter: every viewer's consumer sends SRTP here (RTP headers are clear under SRTP): per SSRC
 *    received, extended sequence numbers, first arrival, latency of each new RTP timestamp.
 *  - feedback: as a browser does, each viewer that the bench registered (`viewer`) gets transport-
 *    wide congestion control feedback (RTCP RTPFB 15, draft-holmer-rmcat-transport-wide-cc-
 *    extensions-01) every 100 ms: the transport-wide sequence number of every packet it received
 *    and when it arrived, protected as SRTCP with the key the bench gave the worker
 *    (transport.connect), sent from the counter's socket to the viewer's transport (its tuple).
 *    Without it the worker's send history (libwebrtc's SendTimeHistory) keeps every packet for
 *    60 s, which no viewer with a browser causes, and the worker never pays for reading feedback,
 *    which every viewer with a browser causes.
 * Sockets are read in batches (recvmmsg), receive buffers are 32 MB (SO_RCVBUFFORCE as root).
 * Clock: CLOCK_MONOTONIC, the clock of Node's process.hrtime.bigint().
 *
 * Commands, one a line on stdin:
 *   start <ingest-ip> <ingest-port> [<mirror-ip> <mirror-port>]...   (ingest port 0: no relay)
 *   track <ssrc> v|a
 *   viewer <transport-port> <suite> <key-base64> <twcc-extension-id> <media-ssrc> [<lose-every>]
 *     (suite: gcm256|gcm128|cm80|cm32; lose-every N: every Nth packet reported lost, for the test)
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
#include <srtp2/srtp.h>

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
#define MAX_VIEWERS 4096           /* a power of two: open addressing on the transport's port */
#define FB_RING 4096               /* transport-wide sequence numbers remembered per viewer (a power of two) */
#define FB_EVERY_NS 100000000ull   /* feedback every 100 ms, as Chromium sends it */
#define FB_MAX_STATUS 1000         /* packets reported in one feedback at most */

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

typedef struct {
  uint16_t port; /* the viewer's transport (where its packets come from): 0 = free */
  int twcc_id;   /* the transport-wide-cc header extension's id (0: none negotiated) */
  uint32_t media_ssrc;
  srtp_t srtcp;
  int64_t base, max; /* extended transport-wide sequence numbers: next to report, highest seen (-1: none) */
  uint64_t at[FB_RING];
  int64_t seq_of[FB_RING]; /* which extended sequence number at[] holds (-1: none) */
  uint8_t fb_count;
  int lose_every; /* the test's: report every Nth transport-wide sequence number lost (0: none) */
  uint64_t feedbacks, reported;
} viewer_t;

static viewer_t *viewers[MAX_VIEWERS];
static uint64_t fb_sent, fb_failed;

static viewer_t *viewer_of(uint16_t port, int add) {
  for (uint32_t i = (port * 2654435761u) & (MAX_VIEWERS - 1), n = 0; n < MAX_VIEWERS; i = (i + 1) & (MAX_VIEWERS - 1), n++) {
    if (!viewers[i]) {
      if (!add) return NULL;
      viewers[i] = calloc(1, sizeof(viewer_t));
      return viewers[i];
    }
    if (viewers[i]->port == port) return viewers[i];
  }
  return NULL;
}

static int b64val(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

static int b64decode(const char *in, unsigned char *out, int cap) {
  int n = 0, bits = 0;
  uint32_t acc = 0;
  for (; *in && *in != '='; in++) {
    int v = b64val((unsigned char)*in);
    if (v < 0) return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n >= cap) return -1;
      out[n++] = (unsigned char)(acc >> bits);
    }
  }
  return n;
}

/* Registers a viewer's transport: its SRTCP session with the key the worker decrypts with. */
static void add_viewer(uint16_t port, const char *suite, const char *key64, int twcc_id, uint32_t media_ssrc, int lose_every) {
  unsigned char key[64];
  int len = b64decode(key64, key, sizeof key);
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  int want;
  if (!strcmp(suite, "gcm256")) {
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
    want = 44;
  } else if (!strcmp(suite, "gcm128")) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    want = 28;
  } else {
    if (!strcmp(suite, "cm32")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    else srtp_crypto_policy_set_rtp_default(&policy.rtp);
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp); /* SRTCP is always 80-bit (as mediasoup) */
    want = 30;
  }
  if (len != want || port == 0) {
    fprintf(stderr, "udpcount: viewer %u: bad key or port\n", port);
    return;
  }
  viewer_t *v = viewer_of(port, 1);
  if (!v) return; /* full: bounded, no feedback for it */
  if (v->port) srtp_dealloc(v->srtcp);
  memset(v, 0, sizeof *v);
  policy.ssrc.type = ssrc_any_outbound;
  policy.key = key;
  policy.window_size = 1024;
  policy.allow_repeat_tx = 1;
  if (srtp_create(&v->srtcp, &policy) != srtp_err_status_ok) {
    fprintf(stderr, "udpcount: viewer %u: srtp_create failed\n", port);
    return;
  }
  v->port = port;
  v->twcc_id = twcc_id;
  v->media_ssrc = media_ssrc;
  v->lose_every = lose_every > 0 ? lose_every : 0;
  v->max = -1;
  v->base = -1;
  for (int i = 0; i < FB_RING; i++) v->seq_of[i] = -1;
}

/* The transport-wide sequence number of an RTP packet (one- or two-byte header extensions), or -1. */
static int twcc_seq(const unsigned char *m, size_t len, int id) {
  if (!(m[0] & 0x10) || id <= 0) return -1;
  size_t off = 12 + 4 * (size_t)(m[0] & 0x0f);
  if (off + 4 > len) return -1;
  unsigned profile = ((unsigned)m[off] << 8) | m[off + 1];
  size_t end = off + 4 + 4 * (size_t)(((unsigned)m[off + 2] << 8) | m[off + 3]);
  if (end > len) return -1;
  size_t i = off + 4;
  if (profile == 0xBEDE) {
    while (i < end) {
      int eid = m[i] >> 4, elen = (m[i] & 0x0f) + 1;
      if (eid == 0) { i++; continue; }
      if (eid == 15) break;
      if (i + 1 + (size_t)elen > end) break;
      if (eid == id && elen == 2) return ((int)m[i + 1] << 8) | m[i + 2];
      i += 1 + (size_t)elen;
    }
  } else if ((profile & 0xfff0) == 0x1000) {
    while (i + 1 < end) {
      int eid = m[i], elen = m[i + 1];
      if (eid == 0) { i++; continue; }
      if (i + 2 + (size_t)elen > end) break;
      if (eid == id && elen == 2) return ((int)m[i + 2] << 8) | m[i + 3];
      i += 2 + (size_t)elen;
    }
  }
  return -1;
}

/* Notes the arrival of a viewer's packet for its next feedback. */
static void feedback_note(uint16_t port, const unsigned char *m, size_t len, uint64_t at) {
  viewer_t *v = viewer_of(port, 0);
  if (!v || !v->port) return;
  int seq = twcc_seq(m, len, v->twcc_id);
  if (seq < 0) return;
  int64_t ext;
  if (v->max < 0) ext = seq;
  else {
    ext = (v->max & ~(int64_t)0xffff) + seq;
    if (ext < v->max - 0x8000) ext += 0x10000;
    else if (ext > v->max + 0x8000) ext -= 0x10000;
  }
  if (v->base < 0) v->base = ext;
  if (ext < v->base) return; /* reported (as lost) already */
  if (ext > v->max) v->max = ext;
  v->at[ext & (FB_RING - 1)] = at;
  v->seq_of[ext & (FB_RING - 1)] = ext;
}

static void wr16(unsigned char *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }

/* One feedback of what arrived since the last (at most FB_MAX_STATUS packets), as SRTCP. */
static void feedback_send(viewer_t *v, int fd) {
  if (v->max < 0 || v->max < v->base) return;
  if (v->max - v->base + 1 > FB_MAX_STATUS) v->base = v->max - FB_MAX_STATUS + 1;
  int count = (int)(v->max - v->base + 1);
  static uint8_t symbol[FB_MAX_STATUS];
  static int32_t delta[FB_MAX_STATUS];
  int64_t first = -1;
  for (int k = 0; k < count; k++) {
    int64_t ext = v->base + k;
    if (v->seq_of[ext & (FB_RING - 1)] == ext) { first = ext; break; }
  }
  if (first < 0) { v->base = v->max + 1; return; }
  /* Reference time: 64 ms units (24 bits); deltas: 250 µs units from the one before. */
  uint64_t first_us = v->at[first & (FB_RING - 1)] / 1000;
  uint32_t ref = (uint32_t)(first_us / 64000);
  int64_t prev_us = (int64_t)ref * 64000;
  for (int k = 0; k < count; k++) {
    int64_t ext = v->base + k;
    symbol[k] = 0;
    if (v->seq_of[ext & (FB_RING - 1)] != ext) continue;
    if (v->lose_every && ext % v->lose_every == 0) continue;
    int64_t us = (int64_t)(v->at[ext & (FB_RING - 1)] / 1000);
    int64_t d = (us - prev_us) / 250;
    if (d >= 0 && d <= 255) symbol[k] = 1;
    else if (d >= -32768 && d <= 32767) symbol[k] = 2;
    else continue; /* too far apart to say: reported as not received */
    delta[k] = (int32_t)d;
    prev_us += d * 250;
  }
  unsigned char buf[20 + 2 * ((FB_MAX_STATUS + 6) / 7) + 2 * FB_MAX_STATUS + 4 + SRTP_MAX_TRAILER_LEN];
  size_t off = 20;
  for (int k = 0; k < count; k += 7) {
    uint32_t chunk = 0xC000; /* a status vector chunk of seven 2-bit symbols */
    for (int j = 0; j < 7; j++) chunk |= (uint32_t)(k + j < count ? symbol[k + j] : 0) << (12 - 2 * j);
    wr16(buf + off, chunk);
    off += 2;
  }
  for (int k = 0; k < count; k++) {
    if (symbol[k] == 1) buf[off++] = (unsigned char)delta[k];
    else if (symbol[k] == 2) { wr16(buf + off, (uint32_t)(uint16_t)(int16_t)delta[k]); off += 2; }
  }
  while (off & 3) buf[off++] = 0;
  buf[0] = 0x80 | 15;
  buf[1] = 205;
  wr16(buf + 2, (uint32_t)(off / 4 - 1));
  wr32(buf + 4, 0x7e1ec1a5u); /* the feedback's sender: any SSRC */
  wr32(buf + 8, v->media_ssrc);
  wr16(buf + 12, (uint32_t)(v->base & 0xffff));
  wr16(buf + 14, (uint32_t)count);
  buf[16] = (unsigned char)(ref >> 16);
  buf[17] = (unsigned char)(ref >> 8);
  buf[18] = (unsigned char)ref;
  buf[19] = v->fb_count++;
  int len = (int)off;
  v->base = v->max + 1;
  if (srtp_protect_rtcp(v->srtcp, buf, &len) != srtp_err_status_ok) { fb_failed++; return; }
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(v->port) };
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&to, sizeof to) == len) { fb_sent++; v->feedbacks++; v->reported += (uint64_t)count; }
  else fb_failed++;
}

/*
 * Each viewer's feedback every FB_EVERY_NS, spread over the interval: the slots of the viewer
 * table are walked a share at a time as the clock moves (all of them once per interval), not all
 * at once. Browsers are not in step; a burst of every viewer's feedback at once would fill the
 * worker's input in one go and keep this real-time process on the harness core for milliseconds
 * at a time, both of which no real audience does.
 */
static void feedback_due(int fd, uint64_t now) {
  static uint64_t walked_at;
  static uint32_t cursor;
  if (!walked_at) walked_at = now;
  uint64_t due = (now - walked_at) * MAX_VIEWERS / FB_EVERY_NS;
  if (due == 0) return;
  if (due >= MAX_VIEWERS) {
    due = MAX_VIEWERS;
    walked_at = now;
  } else walked_at += due * FB_EVERY_NS / MAX_VIEWERS; /* the remainder counts toward the next walk */
  for (uint64_t n = 0; n < due; n++, cursor = (cursor + 1) & (MAX_VIEWERS - 1)) {
    viewer_t *v = viewers[cursor];
    if (v && v->port) feedback_send(v, fd);
  }
}


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

static void count_packet(const unsigned char *m, size_t len, uint64_t t, uint16_t from) {
  if (len == 16 && m[0] == 0) {
    remember(m[1] == 0 ? 0 : 1, rd32(m + 4), rd64(m + 8));
    return;
  }
  if (len < 12 || (m[0] & 0xc0) != 0x80) return;
  int pt = m[1] & 0x7f;
  if (pt >= 64 && pt <= 95) return; /* RTCP (rtcp-mux) */
  feedback_note(from, m, len, t);
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
  printf("],\"relayed\":%llu,\"relayMaxGapMs\":%.3f,\"ingestKinds\":{\"video\":%llu,\"audio\":%llu},\"feedback\":{\"sent\":%llu,\"failed\":%llu}}\n",
         (unsigned long long)relayed, (double)relay_max_gap / 1e6, (unsigned long long)ingest_kinds[0], (unsigned long long)ingest_kinds[1],
         (unsigned long long)fb_sent, (unsigned long long)fb_failed);
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
  } else if (!strcmp(w, "viewer")) {
    char *port = strtok_r(NULL, " \n", &save), *suite = strtok_r(NULL, " \n", &save), *key = strtok_r(NULL, " \n", &save);
    char *id = strtok_r(NULL, " \n", &save), *ssrc = strtok_r(NULL, " \n", &save), *lose = strtok_r(NULL, " \n", &save);
    if (port && suite && key && id && ssrc) add_viewer((uint16_t)atoi(port), suite, key, atoi(id), (uint32_t)strtoul(ssrc, NULL, 10), lose ? atoi(lose) : 0);
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
  static struct sockaddr_in from[BATCH];
  for (int rounds = 0; rounds < 64; rounds++) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = PKT;
      memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
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
      if (fd == counter) count_packet(bufs[i], msgs[i].msg_len, at, ntohs(from[i].sin_port));
      else if (fd == video || fd == audio) relay_packet(bufs[i], msgs[i].msg_len);
    }
    if (got < BATCH) break;
  }
}

int main(void) {
  if (srtp_init() != srtp_err_status_ok) { fprintf(stderr, "udpcount: srtp_init failed\n"); return 1; }
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
    feedback_due(counter, now); /* from the socket each viewer's transport sends to (its tuple) */
  }
}
