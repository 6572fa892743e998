#pragma once

#include <QSize>

class QWidget;

namespace jwti {

// Windows open whole on the screen they appear on: a size asked for in code (or restored from last time on a larger
// monitor) is cut down to the screen's free area, and the window is moved inside it.
namespace WindowPlacement {

// Resizes window to wanted, or to the part of its screen's available area that is free of panels, whichever is
// smaller (never below the window's own minimum), and moves it so its frame lies inside that area.
void fitOnScreen(QWidget* window, QSize wanted);

// The same, keeping the size the window has now.
void keepOnScreen(QWidget* window);

} // namespace WindowPlacement

} // namespace jwti
