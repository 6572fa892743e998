#include "core/model/TokenDocument.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThreadPool>
#include <algorithm>
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
    QString text; // when decoded: the text inspected (paste noise removed when asked)
    std::vector<NoiseNote> removedNoise;
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

// The text to inspect, decoded, and the paste noise removed to get it (TokenDocument::setText).
struct Inspected
{
    QString text;
    Token token;
    std::vector<NoiseNote> removed;
};

Inspected inspect(const QString& given, bool removeNoise)
{
    Inspected out{given, decodeUnverified(given), {}};
    // Only what has the shape of a token is cleaned: stripping the line breaks of a PEM or the spaces of a sentence
    // would show the user a text they never gave, and neither is a token either way.
    const bool tokenShaped = out.token.kind != TokenKind::Malformed || out.token.text.contains('.');
    if (!removeNoise || out.token.noise.empty() || !tokenShaped)
        return out;
    out.removed = std::move(out.token.noise);
    out.text = QString::fromUtf8(out.token.text);
    out.token = decodeUnverified(out.text);
    return out;
}

// See TokenDocument::isNotAToken: the verdict's "This is not a JWT" (Verdict.cpp), read from the same facts.
bool notATokenFor(const Token& token, const Verdict& verdict)
{
    if (token.kind == TokenKind::Empty || verdict.outcome != VerdictOutcome::Malformed)
        return false;
    const bool keyOrCertificate
        = std::any_of(verdict.diagnosis.begin(), verdict.diagnosis.end(),
                      [](const Diagnosis& d) { return d.code == QLatin1String("not-a-token"); });
    return keyOrCertificate || (token.kind == TokenKind::Malformed && !token.text.contains('.'));
}

// A text that is no token has nothing to lint: its headline says what it is, and base64 or header complaints
// about a sentence or a PEM would only bury that.
std::vector<Finding> lintWith(const Token& token, const std::vector<Key>& keys, qint64 now, const Verdict& verdict)
{
    if (notATokenFor(token, verdict))
        return {};
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

void TokenDocument::setText(const QString& text, PasteNoise noise)
{
    const bool removeNoise = noise == PasteNoise::Remove;
    // The same text again changes nothing, unless its noise is now to be removed.
    if (text == m_text && (!removeNoise || m_token->noise.empty()) && (m_decoding || m_token->kind != TokenKind::Empty))
        return;
    m_text = text;
    m_givenText = text;
    m_removeNoise = removeNoise;
    m_removedNoise.clear();
    ++m_generation;
    if (text.size() >= kAsyncThreshold) {
        analyseInBackground(true);
        return;
    }
    setDecoding(false);
    Inspected inspected = inspect(text, removeNoise);
    m_text = std::move(inspected.text);
    m_removedNoise = std::move(inspected.removed);
    m_token = std::make_shared<const Token>(std::move(inspected.token));
    resetPretty();
    // Everything is derived before any signal: a pane that reads the verdict on tokenChanged reads this token's.
    m_verdict = verdictFor(*m_token, m_keys, m_options, now());
    m_result = resultOf(*m_token, m_keys, m_verdict);
    m_findings = lintWith(*m_token, m_keys, now(), m_verdict);
    emit tokenChanged();
    emit findingsChanged();
    emit verificationChanged();
}

bool TokenDocument::isNotAToken() const
{
    return notATokenFor(*m_token, m_verdict);
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
    reverify();
    relint();
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
    reverify();
    relint();
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
    auto job = [decode, removeNoise = m_removeNoise, text = m_givenText, token = m_token, keys = m_keys,
                options = m_options, nowSeconds = now(), generation = m_generation, liveness = m_liveness] {
        auto analysis = std::make_shared<Analysis>();
        analysis->generation = generation;
        analysis->decoded = decode;
        if (decode) {
            Inspected inspected = inspect(text, removeNoise);
            analysis->text = std::move(inspected.text);
            analysis->removedNoise = std::move(inspected.removed);
            analysis->token = std::make_shared<const Token>(std::move(inspected.token));
        } else {
            analysis->token = token;
        }
        analysis->verdict = verdictFor(*analysis->token, keys, options, nowSeconds);
        analysis->findings = lintWith(*analysis->token, keys, nowSeconds, analysis->verdict);
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
    m_findings = std::move(analysis.findings);
    m_result = std::move(analysis.result);
    m_verdict = std::move(analysis.verdict);
    if (analysis.decoded) {
        m_text = std::move(analysis.text);
        m_removedNoise = std::move(analysis.removedNoise);
        m_prettyHeader.emplace(std::move(analysis.prettyHeader));
        m_prettyPayload.emplace(std::move(analysis.prettyPayload));
        setDecoding(false);
        emit tokenChanged();
    }
    emit findingsChanged();
    emit verificationChanged();
}

void TokenDocument::relint()
{
    m_findings = lintWith(*m_token, m_keys, now(), m_verdict);
    emit findingsChanged();
}

void TokenDocument::reverify()
{
    m_verdict = verdictFor(*m_token, m_keys, m_options, now());
    m_result = resultOf(*m_token, m_keys, m_verdict);
    emit verificationChanged();
}

} // namespace jwti
