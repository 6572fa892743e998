#pragma once

#include "token/ClaimsModel.h"

#include <QTimer>
#include <QWidget>
#include <array>

class QTableView;
class QLabel;

namespace jwti {

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

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void reload();
    // Column widths for the view's width: as wanted when they fit, else the elidable ones narrowed.
    void fitColumns();

    TokenDocument* m_document;
    ClaimsModel* m_model;
    QTableView* m_view;
    QLabel* m_summary;
    QTimer m_clock;
    std::array<int, ClaimsModel::ColumnCount> m_wanted{}; // each column's content width (capped for free text)
};

} // namespace jwti
