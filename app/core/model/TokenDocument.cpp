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
    m_result = verifyToken(m_token, m_keys, options);
    emit verificationChanged();
}

} // namespace jwti
