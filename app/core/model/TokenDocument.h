#pragma once

#include "crypto/Key.h"
#include "jose/Findings.h"
#include "jose/Jws.h"
#include "jose/Token.h"

#include <QObject>
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

    // The token as typed or pasted; decoding runs synchronously (the budget is < 50 µs for a typical token).
    void setText(const QString& text);
    const QString& text() const { return m_token.input; }
    const Token& token() const { return m_token; }
    const std::vector<Finding>& findings() const { return m_findings; }

    // Keys the user offered for verifying (a pasted secret, a PEM, a JWKS, keystore keys).
    void setKeys(std::vector<Key> keys);
    const std::vector<Key>& keys() const { return m_keys; }

    void setVerifyOptions(const VerifyOptions& options);
    const VerifyOptions& verifyOptions() const { return m_options; }
    // Empty when there is nothing to verify with.
    const std::optional<VerifyResult>& verifyResult() const { return m_result; }

    // The clock for claims and relative times; tests pin it. Defaults to the system clock.
    void setNowOverride(std::optional<qint64> now);
    qint64 now() const;

signals:
    void tokenChanged();
    void findingsChanged();
    void keysChanged();
    void verificationChanged();

private:
    void relint();
    void reverify();

    Token m_token;
    std::vector<Finding> m_findings;
    std::vector<Key> m_keys;
    VerifyOptions m_options;
    std::optional<VerifyResult> m_result;
    std::optional<qint64> m_nowOverride;
};

} // namespace jwti
