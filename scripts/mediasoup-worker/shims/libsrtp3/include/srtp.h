/*
 * <srtp.h> for building mediasoup-worker against Debian's libsrtp 2.5 instead of versatica's
 * libsrtp 3.x fork. mediasoup >= 3.16 calls the 3.x API: separate in/out buffers, size_t
 * lengths, an MKI index, srtp_stream_remove() and two newer error codes. Each 3.x call is mapped
 * onto the 2.x in-place call: copy `in` to `out` (when they differ), then protect/unprotect there.
 */
#ifndef TELECLASS_SRTP_SHIM_H
#define TELECLASS_SRTP_SHIM_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

// libsrtp 3.x error codes that 2.x does not have (values as in libsrtp 3.x).
static constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
static constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace teleclass_srtp_shim
{
	using InPlaceFn    = srtp_err_status_t (*)(srtp_t, void*, int*);
	using InPlaceMkiFn = srtp_err_status_t (*)(srtp_t, void*, int*, unsigned int, unsigned int);

	// `growth`: how many bytes the call may append (auth tag, SRTCP index, MKI).
	inline srtp_err_status_t inOut(
	  InPlaceFn fn,
	  InPlaceMkiFn fnMki,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen,
	  size_t mkiIndex,
	  size_t growth)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - growth)
			return srtp_err_status_bad_param;
		if (*outLen < inLen + growth)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);

		int len = static_cast<int>(inLen);
		const srtp_err_status_t err =
		  (fnMki != nullptr && mkiIndex != 0)
		    ? fnMki(ctx, out, &len, 1u, static_cast<unsigned int>(mkiIndex))
		    : fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);

		return err;
	}
} // namespace teleclass_srtp_shim

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	return teleclass_srtp_shim::inOut(
	  static_cast<teleclass_srtp_shim::InPlaceFn>(&::srtp_protect),
	  &::srtp_protect_mki,
	  ctx, rtp, rtpLen, srtp, srtpLen, mkiIndex,
	  SRTP_MAX_TAG_LEN + (mkiIndex != 0 ? SRTP_MAX_MKI_LEN : 0));
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return teleclass_srtp_shim::inOut(
	  static_cast<teleclass_srtp_shim::InPlaceFn>(&::srtp_unprotect),
	  nullptr, ctx, srtp, srtpLen, rtp, rtpLen, 0, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	return teleclass_srtp_shim::inOut(
	  static_cast<teleclass_srtp_shim::InPlaceFn>(&::srtp_protect_rtcp),
	  &::srtp_protect_rtcp_mki,
	  ctx, rtcp, rtcpLen, srtcp, srtcpLen, mkiIndex,
	  // SRTCP appends its E-flag + index word (4 bytes) and the auth tag.
	  4 + SRTP_MAX_TAG_LEN + (mkiIndex != 0 ? SRTP_MAX_MKI_LEN : 0));
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return teleclass_srtp_shim::inOut(
	  static_cast<teleclass_srtp_shim::InPlaceFn>(&::srtp_unprotect_rtcp),
	  nullptr, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0, 0);
}

// libsrtp 3.x renamed srtp_remove_stream() to srtp_stream_remove().
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return ::srtp_remove_stream(session, ssrc);
}

#endif /* __cplusplus */

#endif /* TELECLASS_SRTP_SHIM_H */
