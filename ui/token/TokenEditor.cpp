#include "token/TokenEditor.h"

#include "core/model/TokenDocument.h"
#include "shell/Palette.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>

namespace jwti {

namespace {

Palette::Role roleFor(SegmentRole role)
{
    switch (role) {
    case SegmentRole::Header:
        return Palette::Role::Header;
    case SegmentRole::Payload:
    case SegmentRole::Ciphertext:
        return Palette::Role::Payload;
    case SegmentRole::Signature:
    case SegmentRole::Tag:
        return Palette::Role::Signature;
    default:
        return Palette::Role::OtherSegment;
    }
}

QTextCharFormat::UnderlineStyle underlineFor(SegmentRole role)
{
    // Told apart without colour (RFC-agnostic: this is for colour-blind users): solid, dotted, dashed.
    switch (role) {
    case SegmentRole::Header:
        return QTextCharFormat::SingleUnderline;
    case SegmentRole::Payload:
    case SegmentRole::Ciphertext:
        return QTextCharFormat::DotLine;
    case SegmentRole::Signature:
    case SegmentRole::Tag:
        return QTextCharFormat::DashUnderline;
    default:
        return QTextCharFormat::DashDotLine;
    }
}

// The trace colour: amber, apart from the segment tints, readable under every segment's text colour.
QColor traceColor()
{
    return Palette::background(Palette::Role::Trace);
}

QColor traceOutlineColor()
{
    return Palette::text(Palette::Role::Trace);
}

} // namespace

TokenEditor::TokenEditor(TokenDocument* document, QWidget* parent)
    : QPlainTextEdit(parent)
    , m_document(document)
{
    setObjectName(QStringLiteral("tokenEditor"));
    setAccessibleName(tr("Encoded token"));
    setAccessibleDescription(tr("The token as pasted or typed. Header, payload and signature are underlined solid, "
                                "dotted and dashed."));
    setPlaceholderText(tr("Paste a JSON Web Token here (Ctrl+Shift+V), type one, drop a file, or open a sample from "
                          "the File menu."));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAnywhere);
    setTabChangesFocus(true);
    setUndoRedoEnabled(true);
    // Hovering a character lights what it encodes (TraceLinker), so the viewport reports moves without a button.
    viewport()->setMouseTracking(true);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(60);
    connect(&m_debounce, &QTimer::timeout, this, &TokenEditor::decodeNow);
    connect(this, &QPlainTextEdit::textChanged, this, &TokenEditor::onTextEdited);
    connect(m_document, &TokenDocument::tokenChanged, this, &TokenEditor::refreshMarks);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this,
            [this] { emit cursorPlaceChanged(describeOffset(textCursor().position())); });
}

void TokenEditor::setToken(const QString& text)
{
    m_debounce.stop();
    m_keptAsGiven.clear();
    const bool wasPreview = m_preview;
    m_preview = text.size() > kPreviewThreshold;
    m_fullText = m_preview ? text : QString();
    m_settingText = true;
    setReadOnly(m_preview);
    setPlainText(m_preview ? text.left(kPreviewChars) : text);
    m_settingText = false;
    if (m_preview || wasPreview)
        emit previewChanged(m_preview, text.size());
    decodeNow();
}

QString TokenEditor::tokenText() const
{
    return m_preview ? m_fullText : toPlainText();
}

void TokenEditor::flushPendingDecode()
{
    if (m_debounce.isActive()) {
        m_debounce.stop();
        decodeNow();
    }
}

void TokenEditor::onTextEdited()
{
    if (m_settingText)
        return;
    // A huge token is re-decoded once typing pauses, so each keystroke stays instant (DESIGN.md budgets).
    if (document()->characterCount() > kDebounceThreshold)
        m_debounce.start();
    else
        decodeNow();
}

void TokenEditor::decodeNow()
{
    // Paste noise is removed once: a text the user brought back with Undo is inspected as given.
    const QString text = tokenText();
    m_document->setText(text,
                        !m_keptAsGiven.isNull() && text == m_keptAsGiven ? TokenDocument::PasteNoise::Keep
                                                                         : TokenDocument::PasteNoise::Remove);
}

void TokenEditor::showInspectedText()
{
    // The document removed paste noise from what this editor gave it: the editor shows the token inspected, and
    // the text as given is one Undo away (a huge token is shown read-only, without undo).
    const QString given = tokenText();
    if (m_document->removedNoise().empty() || m_document->givenText() != given || m_document->text() == given)
        return;
    const QString inspected = m_document->text();
    m_keptAsGiven = given;
    m_settingText = true;
    if (m_preview) {
        m_fullText = inspected;
        setPlainText(inspected.left(kPreviewChars));
    } else {
        QTextCursor cursor(document());
        cursor.beginEditBlock();
        cursor.select(QTextCursor::Document);
        cursor.insertText(inspected);
        cursor.endEditBlock();
        setTextCursor(cursor);
    }
    m_settingText = false;
}

void TokenEditor::refreshMarks()
{
    showInspectedText();
    const Token& token = m_document->token();
    m_marks.clear();
    QList<QTextEdit::ExtraSelection> selections;
    const qsizetype inputSize = token.input.size();
    // A new decode invalidates what was lit: the linker lights it again for the new token.
    m_trace = {};
    if (token.input != tokenText()) {
        m_markSelections = selections;
        applySelections();
        return;
    }

    auto toInputRange = [&](OffsetRange range) {
        const qsizetype begin = token.inputOffset(range.begin);
        const qsizetype end = range.end > range.begin ? token.inputOffset(range.end - 1) + 1 : begin;
        return std::pair{std::clamp<qsizetype>(begin, 0, inputSize), std::clamp<qsizetype>(end, 0, inputSize)};
    };
    // Only what the editor shows can be marked (all of it, unless a huge token is shown in part).
    const qsizetype shown = document()->characterCount() - 1;
    auto select = [&](qsizetype begin, qsizetype end, const QTextCharFormat& format) {
        end = std::min(end, shown);
        if (begin >= end)
            return;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(document());
        selection.cursor.setPosition(int(begin));
        selection.cursor.setPosition(int(end), QTextCursor::KeepAnchor);
        selection.format = format;
        selections.append(selection);
    };

    // Text that is no token gets no segment colours and no error marks: it has no parts, and one headline says so.
    const bool notAToken = m_document->isNotAToken();
    const bool compact = !notAToken
        && (token.kind == TokenKind::Jws || token.kind == TokenKind::Unsecured || token.kind == TokenKind::Jwe
            || token.kind == TokenKind::Malformed);
    for (const Segment& segment : token.segments) {
        if (!compact)
            break;
        const auto [begin, end] = toInputRange(segment.range);
        if (end <= begin)
            continue;
        QTextCharFormat format;
        const Palette::Role role = roleFor(segment.role);
        format.setForeground(Palette::text(role));
        format.setBackground(Palette::background(role));
        format.setUnderlineStyle(underlineFor(segment.role));
        format.setUnderlineColor(Palette::text(role));
        select(begin, end, format);
        m_marks.push_back({begin, end, segmentRoleName(segment.role), false});
    }
    if (compact) {
        // The dots between segments, bold so they stand out without colour.
        QTextCharFormat dotFormat;
        dotFormat.setFontWeight(QFont::Black);
        dotFormat.setForeground(Palette::text(Palette::Role::Dot));
        for (size_t i = 1; i < token.segments.size(); ++i) {
            const qsizetype textDot = token.segments[i].range.begin - 1;
            if (textDot < 0 || textDot >= token.text.size() || token.text.at(textDot) != '.')
                continue;
            const qsizetype dot = token.inputOffset(textDot);
            select(dot, dot + 1, dotFormat);
        }
    }
    for (const TokenError& error : token.errors) {
        if (notAToken)
            break;
        auto [begin, end] = toInputRange(error.range);
        if (end <= begin) {
            // An error at a place with no characters (a missing part): mark the character before it, or the first.
            begin = std::max<qsizetype>(0, std::min(begin, inputSize) - (begin >= inputSize ? 1 : 0));
            end = std::min(begin + 1, inputSize);
        }
        if (end <= begin)
            continue;
        QTextCharFormat format;
        format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        format.setUnderlineColor(Palette::text(Palette::Role::Error));
        format.setBackground(Palette::background(Palette::Role::Error));
        format.setForeground(Palette::text(Palette::Role::Error));
        format.setFontWeight(QFont::Bold);
        select(begin, end, format);
        m_marks.push_back({begin, end, error.reason, true});
    }
    m_markSelections = selections;
    applySelections();
    emit cursorPlaceChanged(describeOffset(textCursor().position()));
}

void TokenEditor::setTraceHighlight(const TraceHighlight& highlight)
{
    m_trace = highlight;
    applySelections();
    // Show the first lit character without moving the cursor (the user's place stays where it was).
    const qsizetype shown = document()->characterCount() - 1;
    qsizetype first = -1;
    for (const auto* ranges : {&m_trace.owned, &m_trace.shared}) {
        for (const OffsetRange& range : *ranges) {
            if (range.begin < shown && (first < 0 || range.begin < first))
                first = range.begin;
        }
    }
    if (first < 0)
        return;
    QTextCursor cursor(document());
    cursor.setPosition(int(first));
    const QRect rect = cursorRect(cursor);
    const int height = viewport()->height();
    if (rect.top() >= 0 && rect.bottom() <= height)
        return;
    // QPlainTextEdit scrolls by lines: move by the lines between the character and a third of the way down.
    const int line = std::max(1, fontMetrics().lineSpacing());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + (rect.top() - height / 3) / line);
}

void TokenEditor::applySelections()
{
    QList<QTextEdit::ExtraSelection> selections = m_markSelections;
    const qsizetype shown = document()->characterCount() - 1;
    auto add = [&](const std::vector<OffsetRange>& ranges, const QTextCharFormat& format) {
        for (const OffsetRange& range : ranges) {
            const qsizetype begin = std::clamp<qsizetype>(range.begin, 0, shown);
            const qsizetype end = std::clamp<qsizetype>(range.end, begin, shown);
            if (begin >= end)
                continue;
            QTextEdit::ExtraSelection selection;
            selection.cursor = QTextCursor(document());
            selection.cursor.setPosition(int(begin));
            selection.cursor.setPosition(int(end), QTextCursor::KeepAnchor);
            selection.format = format;
            selections.append(selection);
        }
    };
    QTextCharFormat owned;
    owned.setBackground(traceColor());
    owned.setFontOverline(true);
    add(m_trace.owned, owned);
    QTextCharFormat shared;
    shared.setBackground(QBrush(traceColor(), Qt::BDiagPattern));
    add(m_trace.shared, shared);
    setExtraSelections(selections);
    viewport()->update();
}

void TokenEditor::paintEvent(QPaintEvent* event)
{
    QPlainTextEdit::paintEvent(event);
    if (m_trace.shared.empty())
        return;
    // A box around each shared character: it carries bits of the traced bytes and of a neighbour.
    QPainter painter(viewport());
    painter.setPen(QPen(traceOutlineColor(), 1));
    const qsizetype shown = document()->characterCount() - 1;
    for (const OffsetRange& range : m_trace.shared) {
        for (qsizetype offset = range.begin; offset < std::min(range.end, shown); ++offset) {
            QTextCursor cursor(document());
            cursor.setPosition(int(offset));
            const QRect left = cursorRect(cursor);
            cursor.setPosition(int(offset + 1));
            QRect right = cursorRect(cursor);
            // The next character may sit on the next line (wrapped): the box then ends at one character's width.
            if (right.top() != left.top())
                right = left.translated(fontMetrics().horizontalAdvance(QLatin1Char('M')), 0);
            painter.drawRect(QRect(QPoint(left.left(), left.top()), QPoint(right.left() - 1, left.bottom())));
        }
    }
}

qsizetype TokenEditor::characterAt(const QPoint& viewportPoint) const
{
    const QTextCursor cursor = cursorForPosition(viewportPoint);
    const QTextBlock block = cursor.block();
    if (!block.isValid() || block.length() <= 1)
        return -1;
    // cursorForPosition answers the nearest gap between characters; the character under the point is the one
    // after the gap unless the point is left of the gap.
    qsizetype position = cursor.position();
    if (viewportPoint.x() < cursorRect(cursor).left() && position > block.position())
        --position;
    if (position >= block.position() + block.length() - 1)
        return -1;
    return position;
}

void TokenEditor::setHovered(qsizetype offset)
{
    if (offset == m_hovered)
        return;
    m_hovered = offset;
    emit hoveredOffsetChanged(offset);
}

bool TokenEditor::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::MouseMove)
        setHovered(characterAt(static_cast<QMouseEvent*>(event)->position().toPoint()));
    else if (event->type() == QEvent::Leave)
        setHovered(-1);
    return QPlainTextEdit::viewportEvent(event);
}

void TokenEditor::showInputOffset(qsizetype offset, qsizetype length)
{
    QTextCursor cursor(document());
    cursor.setPosition(int(std::clamp<qsizetype>(offset, 0, document()->characterCount() - 1)));
    cursor.setPosition(int(std::clamp<qsizetype>(offset + length, 0, document()->characterCount() - 1)),
                       QTextCursor::KeepAnchor);
    setTextCursor(cursor);
    ensureCursorVisible();
    setFocus(Qt::OtherFocusReason);
}

QString TokenEditor::describeOffset(qsizetype offset) const
{
    QStringList parts;
    for (const Mark& mark : m_marks) {
        if (offset >= mark.begin && offset < mark.end) {
            if (mark.error)
                parts << tr("error: %1").arg(mark.label);
            else
                parts << tr("%1, character %2 of %3")
                             .arg(mark.label)
                             .arg(offset - mark.begin + 1)
                             .arg(mark.end - mark.begin);
        }
    }
    return parts.join(QStringLiteral(" · "));
}

bool TokenEditor::event(QEvent* event)
{
    // Segment colours are picked for the palette: a theme switch paints them again in the new one.
    if (event->type() == QEvent::PaletteChange) {
        const bool handled = QPlainTextEdit::event(event);
        refreshMarks();
        return handled;
    }
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QTextCursor cursor = cursorForPosition(viewport()->mapFromGlobal(help->globalPos()));
        QString description = describeOffset(cursor.position());
        if (m_traceDescriber) {
            const qsizetype character = characterAt(viewport()->mapFromGlobal(help->globalPos()));
            const QString trace = character >= 0 ? m_traceDescriber(character) : QString();
            if (!trace.isEmpty())
                description = description.isEmpty() ? trace : description + QLatin1Char('\n') + trace;
        }
        if (description.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), description, this);
        return true;
    }
    return QPlainTextEdit::event(event);
}

bool TokenEditor::canInsertFromMimeData(const QMimeData* source) const
{
    return source->hasUrls() || QPlainTextEdit::canInsertFromMimeData(source);
}

void TokenEditor::insertFromMimeData(const QMimeData* source)
{
    if (source->hasUrls()) {
        for (const QUrl& url : source->urls()) {
            if (url.isLocalFile()) {
                emit fileDropped(url.toLocalFile());
                return;
            }
        }
    }
    // A new paste is cleaned of its paste noise again, even if it is the text an Undo brought back before.
    m_keptAsGiven.clear();
    if (source->hasText()) {
        // A huge paste never reaches the text layout whole: it becomes the token, shown in part.
        const QString pasted = source->text();
        const QTextCursor cursor = textCursor();
        if (document()->characterCount() - 1 - (cursor.selectionEnd() - cursor.selectionStart()) + pasted.size()
            > kPreviewThreshold) {
            const QString current = toPlainText();
            setToken(current.left(cursor.selectionStart()) + pasted + current.mid(cursor.selectionEnd()));
            return;
        }
    }
    QPlainTextEdit::insertFromMimeData(source);
}

} // namespace jwti
