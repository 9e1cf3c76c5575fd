// TlsContext: the server's certificate and key for TLS connections (OpenSSL), TLS 1.2 or newer.
// Loaded once at start; errors name the file and what is wrong with it, never its contents.
// Thread-safe once loaded (OpenSSL's SSL_CTX is shared by connections).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace strata {

class TlsContext {
 public:
  static Result<std::unique_ptr<TlsContext>> Load(const std::string& cert_file,
                                                  const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// The last OpenSSL error of this thread as text (and clears the queue).
std::string OpenSslError();

}  // namespace strata
