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

    // Paste noise (DESIGN.md: a "Bearer " prefix, quotes, whitespace, line breaks). Keep: the text is inspected as
    // given, its noise reported in token().noise. Remove: a text that still has the shape of a token once its noise is
    // stripped becomes that token, so what is shown is what is inspected; removedNoise() then says what was removed
    // and givenText() is the text as given. A text that is no token at all (a PEM, prose) is never changed.
    enum class PasteNoise { Keep, Remove };
    void setText(const QString& text, PasteNoise noise = PasteNoise::Keep);
    // The latest text to inspect (noise removed when asked), even while it is still being decoded.
    const QString& text() const { return m_text; }
    // The text as given to setText: differs from text() only when paste noise was removed.
    const QString& givenText() const { return m_givenText; }
    // What was removed from givenText() to make text(); empty when nothing was. Offsets are in givenText().
    const std::vector<NoiseNote>& removedNoise() const { return m_removedNoise; }
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

    // The text is not a token at all (prose, a PEM key, a certificate, a JWK or JWKS): the verdict's headline says
    // "This is not a JWT", and every pane says so too instead of showing parts, an alg or lint of what is no token.
    // Always current when tokenChanged is emitted (the verdict is computed before any signal).
    bool isNotAToken() const;

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

    // relint reads the verdict (a text that is no token has no findings): reverify first.
    void relint();
    void reverify();
    // Large tokens: runs on the pool what the synchronous path does; decode false reuses the current token.
    void analyseInBackground(bool decode);
    void applyAnalysis(Analysis& analysis);
    void setDecoding(bool decoding);
    void resetPretty();

    QString m_text;
    QString m_givenText;
    bool m_removeNoise = false; // the latest setText's PasteNoise, for a re-decode while it is still decoding
    std::vector<NoiseNote> m_removedNoise;
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
