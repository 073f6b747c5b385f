// pBFT message helpers: the batch digest, signing and opening SignedMessages, and the
// Authenticator seam through which a replica signs and checks them (ECDSA with the
// validators' keys in a real node; a fast keyed hash in the deterministic simulation,
// where a Byzantine replica still cannot sign as anyone else).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "consensus.pb.h"
#include "ledger.pb.h"

namespace carledger::pbft {

using MessagePtr = std::shared_ptr<const consensus::SignedMessage>;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // This replica's signature over `data`.
  virtual Bytes Sign(std::string_view data) = 0;
  // True iff `signature` is `signer`'s over `data` (false for an unknown signer).
  virtual bool Verify(const std::string& signer, std::string_view data,
                      std::string_view signature) = 0;
};

// Real signatures: ECDSA P-256 with this validator's key; peers by key fingerprint.
class EcdsaAuthenticator : public Authenticator {
 public:
  EcdsaAuthenticator(PrivateKey key, std::map<std::string, PublicKey> validators)
      : key_(std::move(key)), validators_(std::move(validators)) {}
  Bytes Sign(std::string_view data) override;
  bool Verify(const std::string& signer, std::string_view data,
              std::string_view signature) override;
  void SetValidators(std::map<std::string, PublicKey> validators) {
    validators_ = std::move(validators);
  }

 private:
  PrivateKey key_;
  std::map<std::string, PublicKey> validators_;
};

// Digest of what is ordered: the batch time, proposer and view, and each transaction's
// leaf hash (which covers payload and signature), in order.
Bytes BatchDigest(const consensus::Batch& batch);

// Serialises `body`, signs it as `sender`. A pre-prepare's batch is left out of the
// signed bytes (its digest is in them) and carried in the message's `batches`.
MessagePtr SignMessage(const std::string& sender, const consensus::Message& body,
                       Authenticator* auth);

// True for the messages that are never forwarded as proof, which a replica may send
// unsigned over a link that authenticates its sender (mutual TLS), as Castro and Liskov
// authenticate normal-case messages with MACs: a commit or a status matters only to its
// receiver, a block vote carries its own signature, a forward client-signed transactions,
// a block batch certified blocks. Pre-prepares, prepares, view changes and new views
// travel on inside proofs, so they are always signed.
bool LinkAuthenticable(const consensus::Message& body);

// As SignMessage, without the signature: for LinkAuthenticable messages on links that
// authenticate their sender.
MessagePtr UnsignedMessage(const std::string& sender, const consensus::Message& body);

// Parses the body without checking the signature (for our own messages, and proofs
// already checked), putting a pre-prepare's carried batch back (left empty when none is
// carried: it then fails the digest check of whoever needs it). False if it does not parse.
bool ParseMessage(const consensus::SignedMessage& msg, consensus::Message* body);

// Checks the signature and parses the body as ParseMessage. False on a bad signature or
// a body that does not parse.
bool OpenMessage(const consensus::SignedMessage& msg, Authenticator* auth,
                 consensus::Message* body);

// `msg` without the batches it carries (what goes inside a view change or a new view).
consensus::SignedMessage WithoutBatches(const consensus::SignedMessage& msg);

// The bytes a block vote signs: CommitDigest of a header whose BlockHash is `block_hash`.
Bytes VoteDigest(std::string_view block_hash);

}  // namespace carledger::pbft
