# SPDX-License-Identifier: GPL-2.0-only
# (placeholder, filled in as the part lands)
