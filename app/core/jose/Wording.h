#pragma once

// Two small helpers every message of the model is written with, so that a value is quoted and a count is worded the
// same way in a finding, a lesson, a verdict and an error.

#include <QString>

namespace jwti {

// text in double quotes: "RS256", "k-1".
QString quoted(const QString& text);
// one when count is 1, else many with %1 replaced by count ("none of the %1 keys fits").
QString plural(int count, const QString& one, const QString& many);

} // namespace jwti
