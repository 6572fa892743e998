#pragma once

#include "core/model/Verdict.h"
#include "shell/Palette.h"

namespace jwti {

// The colour role every view gives a verdict's outcome, so the verify panel, the walk-through and the tour never
// colour one verdict two ways. Not verified (no key, or none that fits) is amber, never red: nothing was shown wrong.
inline Palette::Role verdictRole(VerdictOutcome outcome)
{
    switch (outcome) {
    case VerdictOutcome::Valid:
        return Palette::Role::Valid;
    case VerdictOutcome::NotVerified:
        return Palette::Role::Warning;
    case VerdictOutcome::Invalid:
    case VerdictOutcome::Unsecured:
    case VerdictOutcome::Malformed:
        return Palette::Role::Error;
    }
    return Palette::Role::Info;
}

} // namespace jwti
