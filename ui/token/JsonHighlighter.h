#pragma once

#include "core/jose/Json.h"

#include <QSyntaxHighlighter>
#include <vector>

namespace jwti {

// Colours pretty-printed JSON from the spans prettyPrint returned: it never reads the JSON itself.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument* document);

    // Spans in text order (UTF-16 offsets into the document text). Marked source ranges (duplicate names) get
    // the error format. Call before setting the document's text.
    void setSpans(std::vector<HighlightSpan> spans, std::vector<JsonSpan> markedSources = {});

    // Beyond this many spans a document is shown plain: colouring it would cost more than it helps.
    static constexpr size_t kMaxSpans = 200000;

protected:
    void highlightBlock(const QString& text) override;

private:
    std::vector<HighlightSpan> m_spans;
    std::vector<JsonSpan> m_marked;
};

} // namespace jwti
