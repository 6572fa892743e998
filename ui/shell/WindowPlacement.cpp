#include "shell/WindowPlacement.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace jwti::WindowPlacement {

namespace {

// Room for the frame a window manager draws around a window that has not been shown yet (its frameGeometry is
// still its geometry then).
constexpr int kFrameAllowance = 40;

QScreen* screenOf(QWidget* window)
{
    if (QWidget* parent = window->parentWidget())
        return parent->screen();
    return window->screen() ? window->screen() : QGuiApplication::primaryScreen();
}

} // namespace

void fitOnScreen(QWidget* window, QSize wanted)
{
    QScreen* screen = screenOf(window);
    if (!screen) {
        window->resize(wanted);
        return;
    }
    const QRect area = screen->availableGeometry();
    const QSize frame = window->isVisible() ? window->frameGeometry().size() - window->size()
                                            : QSize(kFrameAllowance / 4, kFrameAllowance);
    const QSize room = area.size() - frame;
    const QSize size = wanted.boundedTo(room).expandedTo(window->minimumSize());
    window->resize(size);
    // Centred over the parent when there is one (as dialogs open), else where it is; then pulled inside the area.
    QRect placed(window->pos(), size + frame);
    if (QWidget* parent = window->parentWidget(); parent && !window->isVisible())
        placed.moveCenter(parent->window()->frameGeometry().center());
    placed.moveRight(std::min(placed.right(), area.right()));
    placed.moveBottom(std::min(placed.bottom(), area.bottom()));
    placed.moveLeft(std::max(placed.left(), area.left()));
    placed.moveTop(std::max(placed.top(), area.top()));
    // A window left where it is keeps letting the window manager place it.
    if (placed.topLeft() != window->pos())
        window->move(placed.topLeft());
}

void keepOnScreen(QWidget* window)
{
    fitOnScreen(window, window->size());
}

} // namespace jwti::WindowPlacement
