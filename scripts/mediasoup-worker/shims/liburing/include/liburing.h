/*
 * <liburing.h> for Debian bookworm's liburing 2.3: mediasoup uses helpers that
 * liburing 2.4 added as inline functions. Defined here the same way when the
 * system header lacks them.
 */
#ifndef TELECLASS_LIBURING_SHIM_H
#define TELECLASS_LIBURING_SHIM_H

#include_next <liburing.h>

/* liburing >= 2.4 defines IO_URING_VERSION_MAJOR in <liburing/io_uring_version.h>. */
#ifndef IO_URING_VERSION_MAJOR

#ifndef TELECLASS_LIBURING_MAJOR
#define TELECLASS_LIBURING_MAJOR 2
#endif
#ifndef TELECLASS_LIBURING_MINOR
#define TELECLASS_LIBURING_MINOR 3
#endif

static inline int io_uring_major_version(void)
{
	return TELECLASS_LIBURING_MAJOR;
}

static inline int io_uring_minor_version(void)
{
	return TELECLASS_LIBURING_MINOR;
}

/* As in liburing 2.4: IORING_OP_SEND with a destination address. */
static inline void io_uring_prep_sendto(struct io_uring_sqe* sqe, int sockfd, const void* buf,
  size_t len, int flags, const struct sockaddr* addr, socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, (__u16)addrlen);
}

#endif /* IO_URING_VERSION_MAJOR */

#endif /* TELECLASS_LIBURING_SHIM_H */
