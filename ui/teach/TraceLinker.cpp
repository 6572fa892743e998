#include "teach/TraceLinker.h"

#include "core/model/TokenDocument.h"
#include "token/JsonView.h"
#include "token/TokenEditor.h"

#include <algorithm>

namespace jwti {

namespace {

bool isContinuationByte(char c)
{
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// "bytes 14–15", "byte 14": counted from 1, as every count a person reads (the offsets themselves are 0-based).
QString byteRangeText(OffsetRange bytes)
{
    if (bytes.size() == 1)
        return TraceLinker::tr("byte %1").arg(bytes.begin + 1);
    return TraceLinker::tr("bytes %1–%2").arg(bytes.begin + 1).arg(bytes.end);
}

QString characterRangeText(OffsetRange chars)
{
    if (chars.size() == 1)
        return TraceLinker::tr("character %1").arg(chars.begin + 1);
    return TraceLinker::tr("characters %1–%2").arg(chars.begin + 1).arg(chars.end);
}

// The pretty text that shows source bytes [bytes.begin, bytes.end): from the first piece that starts inside to
// the last one. Pieces are in text order, and pretty-printing keeps the source order, so their sources ascend.
OffsetRange prettyRangeOfBytes(const PrettyJson& pretty, JsonSpan bytes)
{
    const auto& spans = pretty.spans;
    const auto first = std::partition_point(spans.begin(), spans.end(),
                                            [&](const HighlightSpan& span) { return span.source.begin < bytes.begin; });
    const auto last = std::partition_point(first, spans.end(),
                                           [&](const HighlightSpan& span) { return span.source.begin < bytes.end; });
    if (first == last)
        return {};
    return {first->text.begin, std::prev(last)->text.end};
}

// The pretty text that shows one source byte: its character in a name, string, number or literal (shown as
// written, so offsets line up once UTF-8 is counted as UTF-16), or the whole punctuation piece it is part of
// (punctuation pieces also own the whitespace around them). Empty for whitespace the pretty text re-indents.
OffsetRange prettyRangeOfByte(const PrettyJson& pretty, QByteArrayView source, qsizetype byte)
{
    const auto& spans = pretty.spans;
    const auto it = std::partition_point(spans.begin(), spans.end(),
                                         [&](const HighlightSpan& span) { return span.source.end <= byte; });
    if (it == spans.end() || it->source.begin > byte || byte >= source.size())
        return {};
    if (it->kind == HighlightSpan::Kind::Punctuation)
        return it->text;
    qsizetype lead = byte;
    while (lead > it->source.begin && isContinuationByte(source[lead]))
        --lead;
    qsizetype next = lead + 1;
    while (next < it->source.end && isContinuationByte(source[next]))
        ++next;
    const qsizetype before = QString::fromUtf8(source.sliced(it->source.begin, lead - it->source.begin)).size();
    const qsizetype length = QString::fromUtf8(source.sliced(lead, next - lead)).size();
    const qsizetype begin = std::min(it->text.begin + before, it->text.end);
    return {begin, std::min(begin + length, it->text.end)};
}

// Adjacent or overlapping ranges become one.
void appendMerged(std::vector<OffsetRange>& ranges, OffsetRange range)
{
    if (range.size() <= 0)
        return;
    if (!ranges.empty() && range.begin <= ranges.back().end) {
        ranges.back().end = std::max(ranges.back().end, range.end);
        return;
    }
    ranges.push_back(range);
}

// Characters of Token::text as input offsets (the editor's text; paste noise in between is spanned over).
OffsetRange inputRangeOf(const Token& token, OffsetRange chars)
{
    if (chars.size() <= 0)
        return {};
    return {token.inputOffset(chars.begin), token.inputOffset(chars.end - 1) + 1};
}

} // namespace

TraceLinker::TraceLinker(TokenDocument* document, TokenEditor* editor, JsonView* headerView, JsonView* payloadView,
                         QObject* parent)
    : QObject(parent)
    , m_document(document)
    , m_editor(editor)
    , m_headerView(headerView)
    , m_payloadView(payloadView)
{
    setObjectName(QStringLiteral("traceLinker"));
    connect(m_document, &TokenDocument::tokenChanged, this, &TraceLinker::onTokenChanged);
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, &TraceLinker::onEditorCursorMoved);
    connect(m_editor, &TokenEditor::hoveredOffsetChanged, this, &TraceLinker::onEditorHovered);
    for (JsonView* view : {m_headerView, m_payloadView}) {
        connect(view, &JsonView::cursorMoved, this,
                [this, view](qsizetype position) { onViewCursorMoved(view, position); });
        connect(view, &JsonView::hoveredPositionChanged, this,
                [this, view](qsizetype position) { onViewHovered(view, position); });
    }
    m_editor->setTraceDescriber([this](qsizetype offset) {
        const auto trace = traceForEditorOffset(offset);
        return trace ? trace->description : QString();
    });
}

bool TraceLinker::tokenIsCurrent() const
{
    // While a large token is decoded, or typing waits for its debounce, the model still holds the previous token:
    // its offsets would point at the wrong characters.
    return !m_document->isDecoding() && m_document->token().input == m_editor->tokenText();
}

int TraceLinker::segmentShownBy(const JsonView* view) const
{
    const Token& token = m_document->token();
    if (!view || view->content() == JsonView::Content::Message)
        return -1;
    auto indexOf = [&](const Segment& shown) {
        for (size_t i = 0; i < token.segments.size(); ++i) {
            if (token.segments[i].role == shown.role && token.segments[i].range == shown.range)
                return static_cast<int>(i);
        }
        return -1;
    };
    if (view == m_headerView) {
        // The header view shows the first signature's protected header, or the first compact segment.
        if (!token.signatures.empty())
            return indexOf(token.signatures.front().protectedHeader);
        return token.segments.empty() ? -1 : 0;
    }
    if (view == m_payloadView && !token.payloadDetached)
        return indexOf(token.payload);
    return -1;
}

JsonView* TraceLinker::viewShowing(int segment) const
{
    for (JsonView* view : {m_headerView, m_payloadView}) {
        if (segment >= 0 && segmentShownBy(view) == segment)
            return view;
    }
    return nullptr;
}

const std::vector<MemberTrace>& TraceLinker::members() const
{
    if (!m_members)
        m_members = traceMembers(m_document->token());
    return *m_members;
}

std::optional<TraceLinker::EditorTrace> TraceLinker::traceForEditorOffset(qsizetype inputOffset) const
{
    // Text that is no token has no header or payload for a character to belong to: nothing to trace.
    if (inputOffset < 0 || !tokenIsCurrent() || m_document->isNotAToken())
        return std::nullopt;
    const Token& token = m_document->token();
    // The character of Token::text at this input offset; paste noise has none.
    qsizetype textOffset = inputOffset;
    if (!token.textToInput.empty()) {
        const auto end = token.textToInput.begin() + std::min<qsizetype>(token.text.size(), token.textToInput.size());
        const auto it = std::lower_bound(token.textToInput.begin(), end, inputOffset);
        if (it == end || *it != inputOffset)
            return std::nullopt;
        textOffset = it - token.textToInput.begin();
    }
    const std::optional<CharacterTrace> character = traceCharacter(token, textOffset);
    if (!character)
        return std::nullopt;
    const Segment& segment = token.segments[static_cast<size_t>(character->segment)];
    const QString segmentName = segmentRoleName(segment.role);

    EditorTrace trace;
    // The member lit is the deepest one a byte belongs to; a character at a member's edge carries two, and both
    // light up. A byte of the root's own punctuation lights no member (the whole segment would tell nothing).
    const bool hasRoot = segment.json && segment.json->root;
    const JsonSpan rootSpan = hasRoot ? segment.json->root->span : JsonSpan{};
    QStringList ownerPaths;
    std::vector<JsonSpan> ownerSpans;
    for (const ByteOwner& owner : character->owners) {
        if (owner.path.isEmpty() || (hasRoot && owner.span == rootSpan) || ownerPaths.contains(owner.path))
            continue;
        ownerPaths << owner.path;
        ownerSpans.push_back(owner.span);
    }
    trace.path = !ownerPaths.isEmpty() ? ownerPaths.front() : character->path;

    JsonView* view = viewShowing(character->segment);
    trace.view = view;
    const QByteArray& bytes = segment.decoded.bytes;
    if (view && view->content() == JsonView::Content::Json) {
        const PrettyJson* pretty = view == m_headerView ? m_document->prettyHeader() : m_document->prettyPayload();
        if (pretty) {
            for (const JsonSpan& span : ownerSpans) {
                const OffsetRange range = prettyRangeOfBytes(*pretty, span);
                if (range.size() <= 0)
                    continue;
                trace.member = trace.member.size() <= 0
                    ? range
                    : OffsetRange{std::min(trace.member.begin, range.begin), std::max(trace.member.end, range.end)};
            }
            for (qsizetype byte = character->bytes.begin; byte < character->bytes.end; ++byte)
                appendMerged(trace.exact, prettyRangeOfByte(*pretty, bytes, byte));
        }
    } else if (view && view->content() == JsonView::Content::Text && character->bytes.size() > 0) {
        qsizetype lead = character->bytes.begin;
        while (lead > 0 && isContinuationByte(bytes[lead]))
            --lead;
        qsizetype next = std::max(lead + 1, character->bytes.end);
        while (next < bytes.size() && isContinuationByte(bytes[next]))
            ++next;
        const qsizetype begin = QString::fromUtf8(QByteArrayView(bytes).first(lead)).size();
        appendMerged(trace.exact,
                     {begin, begin + QString::fromUtf8(QByteArrayView(bytes).sliced(lead, next - lead)).size()});
    } else if (view && view->content() == JsonView::Content::Hex) {
        // "66 6f 6f": byte i is shown at 3 i.
        for (qsizetype byte = character->bytes.begin; byte < character->bytes.end; ++byte)
            appendMerged(trace.exact, {3 * byte, 3 * byte + 2});
    }

    const QString head = trace.path.isEmpty() ? segmentName : trace.path;
    if (character->bytes.size() <= 0) {
        trace.description = tr("%1: character %2 of the %3 carries no whole byte (a lone last character holds only 6 "
                               "bits)")
                                .arg(head, QString::number(character->charOffset + 1), segmentName);
        return trace;
    }
    qsizetype firstByte = character->bytes.begin;
    for (const ByteOwner& owner : character->owners) {
        if (owner.path == trace.path) {
            firstByte = owner.byte;
            break;
        }
    }
    trace.description = tr("%1, byte %2 of the %3, character %4 carries bits of %5")
                            .arg(head, QString::number(firstByte + 1), segmentName,
                                 QString::number(character->charOffset + 1), byteRangeText(character->bytes));
    if (ownerPaths.size() > 1)
        trace.description += QStringLiteral(" (%1)").arg(ownerPaths.join(tr(" and ")));
    return trace;
}

std::optional<TraceLinker::ViewTrace> TraceLinker::traceForViewPosition(const JsonView* view, qsizetype position) const
{
    if (position < 0 || !tokenIsCurrent())
        return std::nullopt;
    const int segmentIndex = segmentShownBy(view);
    if (segmentIndex < 0)
        return std::nullopt;
    const Token& token = m_document->token();
    const Segment& segment = token.segments[static_cast<size_t>(segmentIndex)];
    const QString segmentName = segmentRoleName(segment.role);

    ViewTrace trace;
    if (view->content() == JsonView::Content::Json) {
        const PrettyJson* pretty = view == m_headerView ? m_document->prettyHeader() : m_document->prettyPayload();
        if (!pretty)
            return std::nullopt;
        const auto& spans = pretty->spans;
        const auto piece = std::partition_point(spans.begin(), spans.end(),
                                                [&](const HighlightSpan& span) { return span.text.end <= position; });
        if (piece == spans.end() || piece->text.begin > position)
            return std::nullopt;
        // The deepest member (or array item) whose bytes hold the piece pointed at.
        const MemberTrace* found = nullptr;
        for (const MemberTrace& member : members()) {
            if (member.segment != segmentIndex || member.bytes.begin > piece->source.begin
                || member.bytes.end < piece->source.end)
                continue;
            if (!found || member.depth > found->depth)
                found = &member;
        }
        if (!found)
            return std::nullopt;
        trace.member = *found;
        trace.viewRange = prettyRangeOfBytes(*pretty, found->bytes);
    } else {
        // Not JSON: the byte under the cursor.
        const QString text = view->text();
        if (position >= text.size())
            return std::nullopt;
        OffsetRange bytes;
        if (view->content() == JsonView::Content::Hex) {
            bytes = {position / 3, position / 3 + 1};
            trace.viewRange = {bytes.begin * 3, bytes.begin * 3 + 2};
        } else {
            const qsizetype length = text.at(position).isHighSurrogate() && position + 1 < text.size() ? 2 : 1;
            bytes.begin = QStringView(text).first(position).toUtf8().size();
            bytes.end = bytes.begin + QStringView(text).sliced(position, length).toUtf8().size();
            trace.viewRange = {position, position + length};
        }
        std::optional<MemberTrace> traced = traceBytes(token, segmentIndex, bytes);
        if (!traced || traced->chars.size() <= 0)
            return std::nullopt;
        trace.member = std::move(*traced);
        trace.member.path = segmentName;
    }

    const MemberTrace& member = trace.member;
    const qsizetype base = segment.range.begin;
    trace.description = tr("%1: %2 of the %3, in %4 of the %3")
                            .arg(member.path, byteRangeText(member.bytes), segmentName,
                                 characterRangeText({member.chars.begin - base, member.chars.end - base}));
    if (member.startsMidGroup && member.endsMidGroup)
        trace.description += tr("; its first and last characters also carry bits of the neighbouring bytes");
    else if (member.startsMidGroup)
        trace.description += tr("; its first character also carries bits of the byte before");
    else if (member.endsMidGroup)
        trace.description += tr("; its last character also carries bits of the byte after");
    return trace;
}

void TraceLinker::applyEditorTrace(const std::optional<EditorTrace>& trace)
{
    m_editor->clearTraceHighlight();
    for (JsonView* view : {m_headerView, m_payloadView}) {
        if (!trace || view != trace->view)
            view->clearTraceHighlight();
    }
    if (!trace) {
        setDescription({}, {});
        return;
    }
    if (trace->view)
        trace->view->setTraceHighlight(trace->member, trace->exact);
    setDescription(trace->description, trace->path);
}

void TraceLinker::applyViewTrace(JsonView* view, const std::optional<ViewTrace>& trace)
{
    for (JsonView* other : {m_headerView, m_payloadView}) {
        if (other != view || !trace)
            other->clearTraceHighlight();
    }
    if (!trace) {
        m_editor->clearTraceHighlight();
        setDescription({}, {});
        return;
    }
    view->setTraceHighlight(trace->viewRange, {});

    // Characters whose every data bit is the member's get a solid fill; an edge character that also carries
    // a neighbour's bits is shared, and drawn hatched and boxed.
    const Token& token = m_document->token();
    const MemberTrace& member = trace->member;
    OffsetRange owned = member.chars;
    TokenEditor::TraceHighlight highlight;
    if (member.startsMidGroup && owned.size() > 0) {
        highlight.shared.push_back(inputRangeOf(token, {owned.begin, owned.begin + 1}));
        ++owned.begin;
    }
    if (member.endsMidGroup && owned.size() > 0) {
        highlight.shared.push_back(inputRangeOf(token, {owned.end - 1, owned.end}));
        --owned.end;
    }
    if (owned.size() > 0)
        highlight.owned.push_back(inputRangeOf(token, owned));
    m_editor->setTraceHighlight(highlight);
    setDescription(trace->description, member.path);
}

void TraceLinker::traceEditorOffset(qsizetype inputOffset)
{
    applyEditorTrace(traceForEditorOffset(inputOffset));
}

void TraceLinker::traceViewPosition(JsonView* view, qsizetype position)
{
    applyViewTrace(view, traceForViewPosition(view, position));
}

void TraceLinker::clear()
{
    applyEditorTrace(std::nullopt);
}

void TraceLinker::setDescription(const QString& description, const QString& path)
{
    m_path = path;
    if (description == m_description)
        return;
    m_description = description;
    emit descriptionChanged(m_description);
}

qsizetype TraceLinker::editorCursorCharacter() const
{
    const QTextCursor cursor = m_editor->textCursor();
    if (cursor.hasSelection())
        return cursor.selectionStart();
    // The character after the cursor; at the end of a segment (before a '.', or at the end) the one before it.
    const qsizetype position = cursor.position();
    if (position == 0 || traceForEditorOffset(position))
        return position;
    return position - 1;
}

void TraceLinker::onTokenChanged()
{
    m_members.reset();
    // The views and the editor dropped their highlights when they showed the new token; the cursor's place is
    // traced again in it.
    if (m_anchor == Source::Editor)
        traceEditorOffset(editorCursorCharacter());
    else
        clear();
}

void TraceLinker::onEditorCursorMoved()
{
    m_anchor = Source::Editor;
    m_anchorView = nullptr;
    m_anchorPosition = -1;
    traceEditorOffset(editorCursorCharacter());
}

void TraceLinker::onEditorHovered(qsizetype inputOffset)
{
    if (inputOffset < 0) {
        restoreAnchor();
        return;
    }
    traceEditorOffset(inputOffset);
}

void TraceLinker::onViewCursorMoved(JsonView* view, qsizetype position)
{
    m_anchor = Source::View;
    m_anchorView = view;
    m_anchorPosition = position;
    traceViewPosition(view, position);
}

void TraceLinker::onViewHovered(JsonView* view, qsizetype position)
{
    if (position < 0) {
        restoreAnchor();
        return;
    }
    traceViewPosition(view, position);
}

void TraceLinker::restoreAnchor()
{
    switch (m_anchor) {
    case Source::Editor:
        traceEditorOffset(editorCursorCharacter());
        break;
    case Source::View:
        if (m_anchorView)
            traceViewPosition(m_anchorView, m_anchorPosition);
        else
            clear();
        break;
    case Source::None:
        clear();
        break;
    }
}

} // namespace jwti
