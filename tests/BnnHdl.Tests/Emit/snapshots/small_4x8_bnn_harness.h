// bnn_harness.h: configuration of main.cpp for network 'small' (generated; do not edit).
#pragma once
// Width of one feature-memory word (S): the digits of every dumped word.
#define BNN_FM_BITS 8
