#include "teach/Base64Inspector.h"

#include "core/model/TokenDocument.h"
#include "shell/Palette.h"
#include "token/TokenEditor.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

namespace jwti {

namespace {

QString rangeText(const char* one, const char* many, OffsetRange range)
{
    if (range.size() == 1)
        return Base64Inspector::tr(one).arg(range.begin);
    return Base64Inspector::tr(many).arg(range.begin).arg(range.end - 1);
}

QString charactersText(OffsetRange range)
{
    return rangeText("character %1", "characters %1–%2", range);
}

QString bytesText(OffsetRange range)
{
    if (range.size() <= 0)
        return Base64Inspector::tr("no byte");
    return rangeText("byte %1", "bytes %1–%2", range);
}

// Where one character's six bits go.
QString destinationText(const Base64Character& character)
{
    if (character.sextet < 0)
        return Base64Inspector::tr("nothing: not read");
    QString text = character.bytes.size() > 0 ? bytesText(character.bytes) : Base64Inspector::tr("no byte");
    if (character.spareBits > 0)
        text += character.spareBits == 1 ? Base64Inspector::tr(" + 1 spare bit")
                                         : Base64Inspector::tr(" + %1 spare bits").arg(character.spareBits);
    return text;
}

// The six-bit groups as read, and the same bits regrouped into bytes, with the spare bits apart.
struct BitLines
{
    QString sextets; // "011001 010110 000101 101101"
    QString bytes; // "01100101 01100001 01101101"
    QString spare; // "00" or empty
};

BitLines bitLines(const Base64Group& group)
{
    BitLines lines;
    QString all;
    QStringList sextets;
    for (const Base64Character& character : group.details) {
        if (character.bits.isEmpty())
            break;
        sextets << character.bits;
        all += character.bits;
    }
    lines.sextets = sextets.join(QLatin1Char(' '));
    const qsizetype dataBits = 8 * group.byteValues.size();
    QStringList bytes;
    for (qsizetype bit = 0; bit + 8 <= std::min(dataBits, all.size()); bit += 8)
        bytes << all.mid(bit, 8);
    lines.bytes = bytes.join(QLatin1Char(' '));
    if (dataBits < all.size() && dataBits > 0)
        lines.spare = all.mid(dataBits);
    return lines;
}

QString escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

// A character of the token for display: printable ASCII as is, anything else by its code.
QString shownCharacter(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f)
        return QString(QLatin1Char(c));
    return QStringLiteral("0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

} // namespace

Base64Inspector::Base64Inspector(TokenDocument* document, TokenEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_editor(editor)
    , m_summary(new QLabel(this))
    , m_view(new QTextBrowser(this))
    , m_copy(new QPushButton(tr("Cop&y"), this))
{
    setObjectName(QStringLiteral("base64Inspector"));
    m_summary->setObjectName(QStringLiteral("base64InspectorSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("What is inspected"));
    // Alone (text that is no token), the message stays at the top where the other tabs put theirs.
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_view->setObjectName(QStringLiteral("base64InspectorText"));
    m_view->setAccessibleName(tr("Base64url inspector"));
    m_view->setAccessibleDescription(tr("The selected characters of the encoded token, group by group: alphabet "
                                        "lookups, bits, bytes and spare bits."));
    m_view->setOpenLinks(false);
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setTabChangesFocus(true);
    m_copy->setObjectName(QStringLiteral("base64InspectorCopy"));
    m_copy->setToolTip(tr("Copy everything the inspector shows, as text"));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (!m_plainText.isEmpty())
            QGuiApplication::clipboard()->setText(m_plainText);
    });

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_copy, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_editor, &QPlainTextEdit::selectionChanged, this, &Base64Inspector::scheduleRefresh);
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, &Base64Inspector::scheduleRefresh);
    connect(m_document, &TokenDocument::tokenChanged, this, &Base64Inspector::scheduleRefresh);
    refresh();
}

void Base64Inspector::scheduleRefresh()
{
    // Hidden (another tab is shown): nothing to draw until the user looks, so cursor moves cost nothing here.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    refresh();
}

void Base64Inspector::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void Base64Inspector::refresh()
{
    const QTextCursor cursor = m_editor->textCursor();
    inspectInput(cursor.selectionStart(), cursor.selectionEnd());
}

int Base64Inspector::shownGroups() const
{
    int count = 0;
    for (const Part& part : m_parts)
        count += static_cast<int>(part.groups.size());
    return count;
}

qsizetype Base64Inspector::totalGroups() const
{
    qsizetype count = 0;
    for (const Part& part : m_parts)
        count += part.totalGroups;
    return count;
}

void Base64Inspector::inspectInput(qsizetype begin, qsizetype end)
{
    m_stale = false;
    m_parts.clear();
    m_message.clear();
    m_notAToken = false;
    const Token& token = m_document->token();
    if (token.kind == TokenKind::Empty) {
        m_message = tr("No token. Select characters of the encoded token (or put the cursor on one) to see how "
                       "base64url spells their bytes.");
        render();
        return;
    }
    if (m_document->isDecoding() || token.input != m_editor->tokenText()) {
        m_message = tr("The token is being decoded…");
        render();
        return;
    }
    if (m_document->isNotAToken()) {
        // A sentence or a PEM is no base64url token: its letters read as groups would teach something false.
        m_notAToken = true;
        m_message = tr("This is not a JWT, so it has no base64url parts to show.");
        render();
        return;
    }

    // Input offsets to characters of Token::text: paste noise the model removed has no character.
    auto textOffsetOf = [&](qsizetype input) {
        if (token.textToInput.empty())
            return std::clamp<qsizetype>(input, 0, token.text.size());
        const auto last = token.textToInput.begin() + std::min<qsizetype>(token.text.size(), token.textToInput.size());
        return static_cast<qsizetype>(std::lower_bound(token.textToInput.begin(), last, input)
                                      - token.textToInput.begin());
    };
    OffsetRange selection{textOffsetOf(begin), textOffsetOf(end)};
    if (selection.size() <= 0) {
        // The character at the cursor; at the end of a segment (before a '.', or at the end) the one before.
        const qsizetype at = selection.begin;
        if (traceCharacter(token, at))
            selection = {at, at + 1};
        else if (at > 0 && traceCharacter(token, at - 1))
            selection = {at - 1, at};
    }

    int budget = kMaxGroups;
    for (size_t i = 0; i < token.segments.size(); ++i) {
        const Segment& segment = token.segments[i];
        const qsizetype from = std::max(selection.begin, segment.range.begin);
        const qsizetype to = std::min(selection.end, segment.range.end);
        if (from >= to)
            continue;
        Part part;
        part.segment = static_cast<int>(i);
        part.selection = {from - segment.range.begin, to - segment.range.begin};
        const qsizetype firstGroup = part.selection.begin / 4;
        part.totalGroups = (part.selection.end + 3) / 4 - firstGroup;
        if (token.unencodedPayload && segment.role == SegmentRole::Payload) {
            part.note = tr("The payload is not base64url-encoded: \"b64\": false in the header (RFC 7797) puts its "
                           "bytes in the token as they are.");
            part.totalGroups = 0;
        } else if (!traceCharacter(token, from)) {
            part.note = tr("These characters are a JSON string with escapes, not the base64url text itself.");
            part.totalGroups = 0;
        } else if (budget > 0) {
            // Only the first groups are read: the work stays small whatever the selection.
            const qsizetype shownEnd = std::min(part.selection.end, (firstGroup + budget) * 4);
            part.groups = inspectBase64(segment.encoded, {part.selection.begin, shownEnd});
            budget -= static_cast<int>(part.groups.size());
        }
        m_parts.push_back(std::move(part));
    }
    if (m_parts.empty())
        m_message = tr("The selection holds no base64url characters (only the '.' separators or paste noise the "
                       "decoder removed).");
    render();
}

QString Base64Inspector::summary() const
{
    return m_summary->text();
}

void Base64Inspector::render()
{
    const Token& token = m_document->token();
    QStringList summaries;
    for (const Part& part : m_parts) {
        const QString name = segmentRoleName(token.segments[static_cast<size_t>(part.segment)].role);
        if (!part.note.isEmpty())
            summaries << tr("%1: %2").arg(name, charactersText(part.selection));
        else
            summaries << tr("%1: %2, %3")
                             .arg(name, charactersText(part.selection),
                                  part.totalGroups == 1 ? tr("1 group of 4")
                                                        : tr("%1 groups of 4").arg(part.totalGroups));
    }
    QString summary = m_message;
    if (!m_parts.empty()) {
        summary = tr("Selected — %1 (offsets count from 0 in each segment).").arg(summaries.join(QStringLiteral("; ")));
        if (isCapped())
            summary += QLatin1Char(' ')
                + tr("Showing the first %1 of %2 groups: select fewer characters to see the rest.")
                      .arg(shownGroups())
                      .arg(totalGroups());
    }
    m_summary->setText(summary);

    const QString muted = QApplication::palette().color(QPalette::Disabled, QPalette::Text).name();
    const QString errorColor = Palette::text(Palette::Role::Error).name();
    const QString warningColor = Palette::text(Palette::Role::Warning).name();
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family().toHtmlEscaped();
    QString html;
    QStringList plain;
    plain << summary;
    for (const Part& part : m_parts) {
        const QString name = segmentRoleName(token.segments[static_cast<size_t>(part.segment)].role);
        if (!part.note.isEmpty()) {
            html += QStringLiteral("<p><b>%1</b>: %2</p>").arg(escaped(name), escaped(part.note));
            plain << QStringLiteral("%1: %2").arg(name, part.note);
            continue;
        }
        for (const Base64Group& group : part.groups) {
            const QString heading = tr("%1, group %2: %3 → %4")
                                        .arg(name)
                                        .arg(group.chars.begin / 4)
                                        .arg(charactersText(group.chars), bytesText(group.bytes));
            html += QStringLiteral("<h4 style=\"margin-bottom:2px\">%1</h4>").arg(escaped(heading));
            html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
                                   "style=\"border-collapse:collapse; border-color:%1\">")
                        .arg(muted);
            html
                += QStringLiteral("<tr><th align=\"left\">%1</th><th align=\"left\">%2</th><th align=\"left\">%3</th>"
                                  "<th align=\"left\">%4</th><th align=\"left\">%5</th></tr>")
                       .arg(tr("offset"), tr("character"), tr("alphabet lookup"), tr("its bits go to"), tr("selected"));
            plain << QString() << heading;
            for (const Base64Character& character : group.details) {
                const QString shown = shownCharacter(character.character);
                const QString selected = character.selected ? tr("yes") : tr("no, completes the group");
                // Selected characters are bold, the rest of their group italic: not told apart by colour alone.
                const QString style = character.selected ? QStringLiteral("font-weight:bold")
                                                         : QStringLiteral("font-style:italic; color:%1").arg(muted);
                const QString lookupStyle
                    = character.sextet < 0 ? QStringLiteral(" style=\"color:%1\"").arg(errorColor) : QString();
                html += QStringLiteral("<tr><td>%1</td><td style=\"%2; font-family:'%3'\">%4</td>"
                                       "<td%5 style=\"font-family:'%3'\">%6</td><td>%7</td><td>%8</td></tr>")
                            .arg(character.offset)
                            .arg(style, mono, escaped(shown), lookupStyle, escaped(character.lookup),
                                 escaped(destinationText(character)), escaped(selected));
                plain << QStringLiteral("  %1  %2  →  %3  (%4)")
                             .arg(character.offset, 4)
                             .arg(character.lookup, destinationText(character), selected);
            }
            html += QStringLiteral("</table>");

            const BitLines bits = bitLines(group);
            QStringList lines;
            QStringList plainLines;
            if (!bits.sextets.isEmpty()) {
                lines << tr("6-bit groups: %1").arg(bits.sextets);
                plainLines << tr("6-bit groups: %1").arg(bits.sextets);
            }
            if (!bits.bytes.isEmpty()) {
                QString bytesLine = tr("as bytes: %1").arg(bits.bytes);
                if (!bits.spare.isEmpty())
                    bytesLine += QLatin1Char(' ') + tr("[spare bits: %1]").arg(bits.spare);
                lines << bytesLine;
                plainLines << bytesLine;
                const QString values = tr("hex: %1 · text: %2").arg(group.hex, group.text);
                lines << values;
                plainLines << values;
            }
            html += QStringLiteral("<p style=\"font-family:'%1'; margin-top:4px\">%2</p>")
                        .arg(mono,
                             escaped(lines.join(QLatin1Char('\n'))).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
            for (const QString& line : plainLines)
                plain << QStringLiteral("  ") + line;
            const QString spare = explainSpareBits(group);
            if (!spare.isEmpty()) {
                const QString color
                    = group.spareBitsZero ? QString() : QStringLiteral(" style=\"color:%1\"").arg(warningColor);
                html += QStringLiteral("<p%1>%2 %3</p>")
                            .arg(color, group.spareBitsZero ? tr("Spare bits:") : tr("⚠ Spare bits:"), escaped(spare));
                plain << QStringLiteral("  ") + tr("Spare bits: %1").arg(spare);
            }
            if (!group.problem.isEmpty()) {
                html += QStringLiteral("<p style=\"color:%1\">%2 %3</p>")
                            .arg(errorColor, escaped(tr("⚠ Problem:")), escaped(group.problem));
                plain << QStringLiteral("  ") + tr("Problem: %1").arg(group.problem);
            }
        }
    }
    if (m_parts.empty())
        html = QStringLiteral("<p>%1</p>").arg(escaped(m_message));
    m_plainText = plain.join(QLatin1Char('\n'));
    m_view->setHtml(html);
    m_view->setVisible(!m_notAToken);
    m_copy->setVisible(!m_notAToken);
    m_copy->setEnabled(!m_parts.empty());
}

} // namespace jwti
