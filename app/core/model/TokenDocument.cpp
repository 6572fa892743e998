#include "core/model/TokenDocument.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThreadPool>
#include <mutex>

namespace jwti {

// The worker's link back to its document: the document clears it when destroyed, and the worker posts its result
// only while holding the lock, so it never posts to a destroyed object (pending posted events die with it).
struct TokenDocument::Liveness
{
    std::mutex mutex;
    TokenDocument* document = nullptr;
};

// Everything derived from one text, computed on a pool thread from values only.
struct TokenDocument::Analysis
{
    quint64 generation = 0;
    bool decoded = false;
    std::shared_ptr<const Token> token;
    std::vector<Finding> findings;
    std::optional<VerifyResult> result;
    Verdict verdict;
    std::optional<PrettyJson> prettyHeader;
    std::optional<PrettyJson> prettyPayload;
};

namespace {

// The header the panes show: the first signature's protected header (JSON forms) or the first compact segment.
const Segment* headerSegmentOf(const Token& token)
{
    if (!token.signatures.empty())
        return &token.signatures.front().protectedHeader;
    if (!token.segments.empty())
        return &token.segments.front();
    return nullptr;
}

std::optional<PrettyJson> prettyOf(const Segment* segment)
{
    if (!segment || !segment->json || !segment->json->ok())
        return std::nullopt;
    return prettyPrint(*segment->json->root);
}

std::vector<Finding> lintWith(const Token& token, const std::vector<Key>& keys, qint64 now)
{
    LintContext context;
    context.now = now;
    if (keys.size() == 1)
        context.key = &keys.front();
    return lintToken(token, context);
}

// The older result shape, derived from the verdict; empty when there is nothing to verify with.
std::optional<VerifyResult> resultOf(const Token& token, const std::vector<Key>& keys, const Verdict& verdict)
{
    if (keys.empty() || token.kind == TokenKind::Empty)
        return std::nullopt;
    return verifyResultOf(verdict);
}

// DESIGN.md "Strictness rules": the verdict judges exactly the token given, trimmed of surrounding whitespace only.
Verdict verdictFor(const Token& token, const std::vector<Key>& keys, VerifyOptions options, qint64 now)
{
    options.claims.now = now;
    if (token.kind == TokenKind::Empty) {
        Verdict verdict;
        verdict.outcome = VerdictOutcome::NotVerified;
        verdict.code = ErrorCode::MalformedToken;
        verdict.reason = QCoreApplication::translate("Verdict", "no token");
        verdict.headline = QCoreApplication::translate("Verdict", "No token to verify");
        return verdict;
    }
    return computeVerdict(token.input.trimmed().toUtf8(), keys, options);
}

} // namespace

TokenDocument::TokenDocument(QObject* parent)
    : QObject(parent)
    , m_token(std::make_shared<const Token>())
    , m_liveness(std::make_shared<Liveness>())
{
    m_liveness->document = this;
    m_verdict = verdictFor(*m_token, m_keys, m_options, now());
}

TokenDocument::~TokenDocument()
{
    const std::lock_guard lock(m_liveness->mutex);
    m_liveness->document = nullptr;
}

void TokenDocument::setText(const QString& text)
{
    if (text == m_text && (m_decoding || m_token->kind != TokenKind::Empty))
        return;
    m_text = text;
    ++m_generation;
    if (text.size() >= kAsyncThreshold) {
        analyseInBackground(true);
        return;
    }
    setDecoding(false);
    m_token = std::make_shared<const Token>(decodeUnverified(text));
    resetPretty();
    emit tokenChanged();
    relint();
    reverify();
}

void TokenDocument::setKeys(std::vector<Key> keys)
{
    m_keys = std::move(keys);
    ++m_generation;
    emit keysChanged();
    if (m_text.size() >= kAsyncThreshold) {
        analyseInBackground(m_decoding);
        return;
    }
    relint();
    reverify();
}

void TokenDocument::setVerifyOptions(const VerifyOptions& options)
{
    m_options = options;
    ++m_generation;
    if (m_text.size() >= kAsyncThreshold) {
        analyseInBackground(m_decoding);
        return;
    }
    reverify();
}

void TokenDocument::setNowOverride(std::optional<qint64> now)
{
    m_nowOverride = now;
    ++m_generation;
    if (m_text.size() >= kAsyncThreshold) {
        analyseInBackground(m_decoding);
        return;
    }
    relint();
    reverify();
}

qint64 TokenDocument::now() const
{
    return m_nowOverride ? *m_nowOverride : QDateTime::currentSecsSinceEpoch();
}

const PrettyJson* TokenDocument::prettyHeader() const
{
    if (!m_prettyHeader)
        m_prettyHeader = prettyOf(headerSegmentOf(*m_token));
    return m_prettyHeader->has_value() ? &**m_prettyHeader : nullptr;
}

const PrettyJson* TokenDocument::prettyPayload() const
{
    if (!m_prettyPayload)
        m_prettyPayload = prettyOf(&m_token->payload);
    return m_prettyPayload->has_value() ? &**m_prettyPayload : nullptr;
}

void TokenDocument::resetPretty()
{
    m_prettyHeader.reset();
    m_prettyPayload.reset();
}

void TokenDocument::setDecoding(bool decoding)
{
    if (m_decoding == decoding)
        return;
    m_decoding = decoding;
    emit decodingChanged();
}

void TokenDocument::analyseInBackground(bool decode)
{
    // Everything the worker reads is copied or shared immutably here: it never touches this object.
    auto job = [decode, text = m_text, token = m_token, keys = m_keys, options = m_options, nowSeconds = now(),
                generation = m_generation, liveness = m_liveness] {
        auto analysis = std::make_shared<Analysis>();
        analysis->generation = generation;
        analysis->decoded = decode;
        analysis->token = decode ? std::make_shared<const Token>(decodeUnverified(text)) : token;
        analysis->findings = lintWith(*analysis->token, keys, nowSeconds);
        analysis->verdict = verdictFor(*analysis->token, keys, options, nowSeconds);
        analysis->result = resultOf(*analysis->token, keys, analysis->verdict);
        if (decode) {
            analysis->prettyHeader = prettyOf(headerSegmentOf(*analysis->token));
            analysis->prettyPayload = prettyOf(&analysis->token->payload);
        }
        const std::lock_guard lock(liveness->mutex);
        TokenDocument* document = liveness->document;
        if (!document)
            return;
        QMetaObject::invokeMethod(
            document, [document, analysis] { document->applyAnalysis(*analysis); }, Qt::QueuedConnection);
    };
    if (decode)
        setDecoding(true);
    QThreadPool::globalInstance()->start(std::move(job));
}

void TokenDocument::applyAnalysis(Analysis& analysis)
{
    if (analysis.generation != m_generation)
        return;
    m_token = std::move(analysis.token);
    if (analysis.decoded) {
        m_prettyHeader.emplace(std::move(analysis.prettyHeader));
        m_prettyPayload.emplace(std::move(analysis.prettyPayload));
        setDecoding(false);
        emit tokenChanged();
    }
    m_findings = std::move(analysis.findings);
    emit findingsChanged();
    m_result = std::move(analysis.result);
    m_verdict = std::move(analysis.verdict);
    emit verificationChanged();
}

void TokenDocument::relint()
{
    m_findings = lintWith(*m_token, m_keys, now());
    emit findingsChanged();
}

void TokenDocument::reverify()
{
    m_verdict = verdictFor(*m_token, m_keys, m_options, now());
    m_result = resultOf(*m_token, m_keys, m_verdict);
    emit verificationChanged();
}

} // namespace jwti
