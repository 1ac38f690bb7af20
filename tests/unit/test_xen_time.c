// SPDX-License-Identifier: GPL-2.0-only
#include "test_xen_fakes.h"
int main(void){return 0;}
