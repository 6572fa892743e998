#include "token/JsonHighlighter.h"

#include "shell/Palette.h"

#include <QTextDocument>
#include <algorithm>

namespace jwti {

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
}

void JsonHighlighter::setSpans(std::vector<HighlightSpan> spans, std::vector<JsonSpan> markedSources)
{
    m_spans = spans.size() > kMaxSpans ? std::vector<HighlightSpan>{} : std::move(spans);
    m_marked = std::move(markedSources);
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    if (m_spans.empty())
        return;
    const qsizetype blockBegin = currentBlock().position();
    const qsizetype blockEnd = blockBegin + text.size();
    auto it = std::partition_point(m_spans.begin(), m_spans.end(),
                                   [blockBegin](const HighlightSpan& span) { return span.text.end <= blockBegin; });
    for (; it != m_spans.end() && it->text.begin < blockEnd; ++it) {
        Palette::Role role = Palette::Role::JsonPunctuation;
        switch (it->kind) {
        case HighlightSpan::Kind::Key:
            role = Palette::Role::JsonKey;
            break;
        case HighlightSpan::Kind::String:
            role = Palette::Role::JsonString;
            break;
        case HighlightSpan::Kind::Number:
            role = Palette::Role::JsonNumber;
            break;
        case HighlightSpan::Kind::Literal:
            role = Palette::Role::JsonLiteral;
            break;
        case HighlightSpan::Kind::Punctuation:
            role = Palette::Role::JsonPunctuation;
            break;
        }
        QTextCharFormat format;
        format.setForeground(Palette::text(role));
        if (it->kind == HighlightSpan::Kind::Key)
            format.setFontWeight(QFont::DemiBold);
        const bool marked = std::any_of(m_marked.begin(), m_marked.end(),
                                        [&](const JsonSpan& source) { return source == it->source; });
        if (marked) {
            format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            format.setUnderlineColor(Palette::text(Palette::Role::Error));
            format.setBackground(Palette::background(Palette::Role::Error));
        }
        const qsizetype begin = std::max(it->text.begin, blockBegin) - blockBegin;
        const qsizetype end = std::min(it->text.end, blockEnd) - blockBegin;
        if (end > begin)
            setFormat(int(begin), int(end - begin), format);
    }
}

} // namespace jwti
