#include "core/jose/Wording.h"

namespace jwti {

QString quoted(const QString& text)
{
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString plural(int count, const QString& one, const QString& many)
{
    return count == 1 ? one : many.arg(count);
}

} // namespace jwti
