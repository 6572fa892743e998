#pragma once

#include <QTimer>
#include <QWidget>

class QTableView;
class QLabel;

namespace jwti {

class ClaimsModel;
class TokenDocument;

// The claims table: the model in a view, refreshed every second so "expires in 14 min" stays true.
class ClaimsTable : public QWidget
{
    Q_OBJECT

public:
    explicit ClaimsTable(TokenDocument* document, QWidget* parent = nullptr);

    ClaimsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // Relative times ("expires in 14 min") tick every second, or stay as computed when the token was shown.
    void setLiveTimes(bool live);
    bool hasLiveTimes() const { return m_clock.isActive(); }

private:
    void reload();

    TokenDocument* m_document;
    ClaimsModel* m_model;
    QTableView* m_view;
    QLabel* m_summary;
    QTimer m_clock;
};

} // namespace jwti
