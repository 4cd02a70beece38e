// A throwaway self-signed certificate for serving HTTPS in tests: a P-256
// key and a certificate for one host name (subjectAltName DNS:<host>), valid
// for a day. Clients trust it by naming the certificate file as their CA.
#pragma once

#include <string>

namespace sagaflow::standin {

struct CertificatePair {
  std::string cert_pem;
  std::string key_pem;
};

// Throws std::runtime_error when OpenSSL fails.
CertificatePair MakeSelfSigned(const std::string& hostname);

}  // namespace sagaflow::standin
