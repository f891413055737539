/* Empty translation unit: mediasoup link_whole()s a static library from each subproject. */
typedef int teleclass_shim_unused_t;
