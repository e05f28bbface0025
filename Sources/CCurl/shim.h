#ifndef STRATA_CCURL_SHIM_H
#define STRATA_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt is variadic, which Swift cannot call; one typed wrapper per argument kind.
static inline CURLcode strata_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode strata_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode strata_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature. A function pointer is
// not a data pointer in C, so it gets its own wrapper instead of going through `void *`.
static inline CURLcode strata_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode strata_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

// curl_easy_getinfo is variadic too; one wrapper per answer type (response code, connect time).
static inline CURLcode strata_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode strata_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

// CURL_GLOBAL_DEFAULT is a macro expression Swift does not import.
static inline CURLcode strata_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
#endif
