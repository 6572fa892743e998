#pragma once

#include "core/jose/Lessons.h"

#include <QWidget>
#include <vector>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace jwti {

class TokenDocument;

// "Lessons": what the open token teaches about how a JWT behaves once issued — who can read it, how long it lives
// and how it could be ended, where to keep it, who could have signed it, token or session. It shows what lessonsFor
// computes for the document's token and the key that verified it; it computes nothing itself. Its one action copies
// the redacted JSON (values replaced, no signature) — never the token itself.
class LessonsView : public QWidget
{
    Q_OBJECT

public:
    explicit LessonsView(TokenDocument* document, QWidget* parent = nullptr);

    const std::vector<Lesson>& lessons() const { return m_lessons; }
    // The lessons as shown, in plain text (for tests and screen readers).
    QString text() const;

    // Rebuilds from the document now; it also follows the document's token and verification by itself.
    void refresh();
    // Puts redactedJson(token) on the clipboard. False when the token has nothing to redact.
    bool copyRedacted();

signals:
    void refreshed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void render();

    TokenDocument* m_document;
    QLabel* m_summary;
    QPushButton* m_copyRedacted;
    QLabel* m_copyNote;
    QTextBrowser* m_body;
    std::vector<Lesson> m_lessons;
};

} // namespace jwti
