#pragma once

#include <QWidget>

class QTreeWidget;
class QTextBrowser;
class QLabel;

namespace jwti {

class TokenDocument;

// The security lint of the document's token, most severe first; each finding with its reason and a link to the
// RFC section or the known attack.
class FindingsList : public QWidget
{
    Q_OBJECT

public:
    explicit FindingsList(TokenDocument* document, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return m_tree; }
    int count() const;

    // "RFC 8725 §3.1" → https://www.rfc-editor.org/rfc/rfc8725#section-3.1; a URL stays itself; else empty.
    static QString referenceUrl(const QString& reference);

signals:
    // Emitted when a finding tied to a place is activated: the window shows that place in the editor.
    void placeActivated(qsizetype textBegin, qsizetype textEnd);

protected:
    void changeEvent(QEvent* event) override;

private:
    void reload();
    void showDetail();

    TokenDocument* m_document;
    QLabel* m_summary;
    QTreeWidget* m_tree;
    QTextBrowser* m_detail;
};

} // namespace jwti
