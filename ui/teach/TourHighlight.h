#pragma once

#include <QPointer>
#include <QWidget>

namespace jwti {

// A frame drawn around the part of the window a tour step talks about. It lies over the window, takes no clicks and
// follows its target as the window is resized or the target moves; no target, no frame.
class TourHighlight : public QWidget
{
    Q_OBJECT

public:
    explicit TourHighlight(QWidget* window);

    void setTarget(QWidget* target);
    QWidget* target() const { return m_target; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void follow();

    QPointer<QWidget> m_target;
};

} // namespace jwti
