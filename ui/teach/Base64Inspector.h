#pragma once

#include "core/jose/TokenTrace.h"

#include <QWidget>
#include <vector>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace jwti {

class TokenDocument;
class TokenEditor;

// Base64url, bit by bit, for the stretch of the encoded token selected in the editor (or the character at the
// cursor when nothing is selected): each group of 4 characters with its alphabet lookups ('Z' → 25 → 011001),
// the 24 bits split into bytes, the bytes as hex and text, the spare bits of a short final group and why they
// must be zero, and what stops the reading (a character outside the alphabet). Everything comes from the model
// (inspectBase64, explainSpareBits); this only lays it out. The text is selectable, and Copy copies all of it.
class Base64Inspector : public QWidget
{
    Q_OBJECT

public:
    Base64Inspector(TokenDocument* document, TokenEditor* editor, QWidget* parent = nullptr);

    // A long selection shows only its first groups: nobody reads a megabyte bit by bit, and laying it out
    // would stall the window.
    static constexpr int kMaxGroups = 64;

    // Inspects input offsets [begin, end) of the editor's text; an empty range inspects the character at begin
    // (or, at the end of a segment, the one before it).
    void inspectInput(qsizetype begin, qsizetype end);
    // Inspects the editor's selection (or the character at its cursor) now.
    void refresh();

    // One segment's share of the selection.
    struct Part
    {
        int segment = -1;
        OffsetRange selection; // characters of the segment that are selected
        std::vector<Base64Group> groups; // capped: see totalGroups()
        qsizetype totalGroups = 0; // groups the selection touches in this segment
        QString note; // why this part cannot be inspected (an unencoded payload); groups are empty then
    };
    const std::vector<Part>& parts() const { return m_parts; }
    int shownGroups() const;
    qsizetype totalGroups() const;
    bool isCapped() const { return totalGroups() > shownGroups(); }

    // The line above the groups ("payload: characters 20–31 selected, 3 groups of 4") or why nothing is shown.
    QString summary() const;
    // Everything shown, as plain text (what Copy puts on the clipboard).
    QString plainText() const { return m_plainText; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void render();
    void scheduleRefresh();

    TokenDocument* m_document;
    TokenEditor* m_editor;
    QLabel* m_summary;
    QTextBrowser* m_view;
    QPushButton* m_copy;
    std::vector<Part> m_parts;
    QString m_message; // shown instead of groups when there is nothing to inspect
    bool m_notAToken = false; // the message alone is shown: no text box, nothing to copy
    QString m_plainText;
    bool m_stale = true; // the editor's selection changed while the inspector was hidden
};

} // namespace jwti
