#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Findings.h"
#include "core/jose/Json.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QObject>
#include <memory>
#include <optional>
#include <vector>

namespace jwti {

// The shared model of one window: the token text and everything derived from it. Panes read it and edit it
// through this API; it emits one signal per kind of change.
class TokenDocument : public QObject
{
    Q_OBJECT

public:
    explicit TokenDocument(QObject* parent = nullptr);
    ~TokenDocument() override;

    // Texts shorter than this are decoded synchronously (a typical token takes < 50 µs). Longer ones are decoded,
    // linted, verified and pretty-printed on a pool thread so that a pasted megabyte never stalls the window
    // (DESIGN.md budget); until the result lands, isDecoding() is true and token() is still the previous one.
    static constexpr qsizetype kAsyncThreshold = 64 * 1024;

    void setText(const QString& text);
    // The latest text given, even while it is still being decoded.
    const QString& text() const { return m_text; }
    const Token& token() const { return *m_token; }
    const std::vector<Finding>& findings() const { return m_findings; }
    bool isDecoding() const { return m_decoding; }

    // The token's header (first signature's protected header) and payload, pretty-printed; nullptr when that part
    // is not valid JSON. Computed off the UI thread for large tokens, on first use for small ones.
    const PrettyJson* prettyHeader() const;
    const PrettyJson* prettyPayload() const;

    // Keys the user offered for verifying (a pasted secret, a PEM, a JWKS, keystore keys).
    void setKeys(std::vector<Key> keys);
    const std::vector<Key>& keys() const { return m_keys; }

    void setVerifyOptions(const VerifyOptions& options);
    const VerifyOptions& verifyOptions() const { return m_options; }
    // Empty when there is nothing to verify with.
    const std::optional<VerifyResult>& verifyResult() const { return m_result; }
    // The one answer every view renders: always present, also without a key (then not-verified, with the claim
    // checks that need no key). Recomputed with the token, the keys, the options and the clock; verificationChanged
    // says when.
    const Verdict& verdict() const { return m_verdict; }

    // The clock for claims and relative times; tests pin it. Defaults to the system clock.
    void setNowOverride(std::optional<qint64> now);
    qint64 now() const;

signals:
    void tokenChanged();
    void findingsChanged();
    void keysChanged();
    void verificationChanged();
    void decodingChanged();

private:
    struct Analysis;
    struct Liveness;

    void relint();
    void reverify();
    // Large tokens: runs on the pool what the synchronous path does; decode false reuses the current token.
    void analyseInBackground(bool decode);
    void applyAnalysis(Analysis& analysis);
    void setDecoding(bool decoding);
    void resetPretty();

    QString m_text;
    // Shared so a background re-lint or re-verify can read it without a copy; never modified once set.
    std::shared_ptr<const Token> m_token;
    std::vector<Finding> m_findings;
    std::vector<Key> m_keys;
    VerifyOptions m_options;
    std::optional<VerifyResult> m_result;
    Verdict m_verdict;
    std::optional<qint64> m_nowOverride;

    bool m_decoding = false;
    // Bumped by every change; a background result for an older generation is dropped.
    quint64 m_generation = 0;
    std::shared_ptr<Liveness> m_liveness;
    mutable std::optional<std::optional<PrettyJson>> m_prettyHeader;
    mutable std::optional<std::optional<PrettyJson>> m_prettyPayload;
};

} // namespace jwti
