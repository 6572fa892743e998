#include "TokenDocument.h"

#include <QDateTime>

namespace jwti {

TokenDocument::TokenDocument(QObject* parent)
    : QObject(parent)
{
}

void TokenDocument::setText(const QString& text)
{
    if (text == m_token.input && m_token.kind != TokenKind::Empty)
        return;
    m_token = decodeUnverified(text);
    emit tokenChanged();
    relint();
    reverify();
}

void TokenDocument::setKeys(std::vector<Key> keys)
{
    m_keys = std::move(keys);
    emit keysChanged();
    relint();
    reverify();
}

void TokenDocument::setVerifyOptions(const VerifyOptions& options)
{
    m_options = options;
    reverify();
}

void TokenDocument::setNowOverride(std::optional<qint64> now)
{
    m_nowOverride = now;
    relint();
    reverify();
}

qint64 TokenDocument::now() const
{
    return m_nowOverride ? *m_nowOverride : QDateTime::currentSecsSinceEpoch();
}

void TokenDocument::relint()
{
    LintContext context;
    context.now = now();
    if (m_keys.size() == 1)
        context.key = &m_keys.front();
    m_findings = lintToken(m_token, context);
    emit findingsChanged();
}

void TokenDocument::reverify()
{
    if (m_keys.empty() || m_token.kind == TokenKind::Empty) {
        const bool changed = m_result.has_value();
        m_result.reset();
        if (changed)
            emit verificationChanged();
        return;
    }
    VerifyOptions options = m_options;
    options.claims.now = now();
    // DESIGN.md "Strictness rules": the verify panel judges exactly the token given, trimmed of surrounding
    // whitespace only. The decoded token has paste noise removed for display, so it is not what gets verified.
    auto strict = parseStrict(m_token.input.trimmed().toUtf8());
    if (strict) {
        m_result = verifyToken(*strict, m_keys, options);
    } else {
        VerifyResult refused;
        refused.valid = false;
        refused.code = strict.code();
        refused.reason = strict.message();
        m_result = std::move(refused);
    }
    emit verificationChanged();
}

} // namespace jwti
