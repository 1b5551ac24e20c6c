#include <string.h>
void score(double *input, double *output) {
    if (input[36] <= 0.5) {
        if (input[28] <= 2.5) {
            if (input[21] <= 0.5) {
                if (input[6] <= 1.0) {
                    if (input[29] <= 1.0) {
                        memcpy(output, (double[]){0.2, 0.0, 0.2, 0.0, 0.0, 0.0, 0.6, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    }
                } else {
                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                }
            } else {
                if (input[43] <= 14.5) {
                    if (input[55] <= 2.0) {
                        memcpy(output, (double[]){1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    }
                } else {
                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                }
            }
        } else {
            if (input[21] <= 6.5) {
                if (input[42] <= 3.5) {
                    if (input[4] <= 8.0) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    }
                } else {
                    if (input[35] <= 12.0) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    }
                }
            } else {
                if (input[34] <= 7.5) {
                    if (input[18] <= 2.0) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                    }
                } else {
                    if (input[45] <= 5.0) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        if (input[11] <= 11.5) {
                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        } else {
                            memcpy(output, (double[]){1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    }
                }
            }
        }
    } else {
        if (input[21] <= 0.5) {
            if (input[42] <= 8.5) {
                if (input[5] <= 1.5) {
                    if (input[19] <= 13.5) {
                        if (input[37] <= 4.0) {
                            if (input[58] <= 0.5) {
                                memcpy(output, (double[]){0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        } else {
                            if (input[43] <= 5.5) {
                                if (input[12] <= 10.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.6666666666666666, 0.0, 0.0, 0.0, 0.3333333333333333}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            } else {
                                if (input[2] <= 5.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.25, 0.0, 0.25, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            }
                        }
                    } else {
                        if (input[46] <= 0.5) {
                            if (input[27] <= 10.5) {
                                memcpy(output, (double[]){0.0, 0.0, 0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        } else {
                            if (input[4] <= 13.5) {
                                memcpy(output, (double[]){0.0, 0.0, 0.25, 0.25, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        }
                    }
                } else {
                    if (input[18] <= 4.5) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.3333333333333333, 0.3333333333333333, 0.0, 0.0, 0.3333333333333333, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        if (input[8] <= 1.5) {
                            if (input[24] <= 0.5) {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        } else {
                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    }
                }
            } else {
                if (input[54] <= 1.5) {
                    if (input[10] <= 5.5) {
                        if (input[41] <= 1.5) {
                            memcpy(output, (double[]){0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        } else {
                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    } else {
                        if (input[45] <= 1.5) {
                            if (input[27] <= 14.0) {
                                memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        } else {
                            if (input[50] <= 6.0) {
                                if (input[51] <= 7.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            } else {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.8571428571428571, 0.14285714285714285, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        }
                    }
                } else {
                    if (input[2] <= 10.0) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    }
                }
            }
        } else {
            if (input[60] <= 7.5) {
                if (input[5] <= 0.5) {
                    if (input[12] <= 7.5) {
                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                    } else {
                        if (input[53] <= 10.5) {
                            if (input[60] <= 1.5) {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                if (input[26] <= 8.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.25, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.25}, 3 * sizeof(double)); return;
                                }
                            }
                        } else {
                            memcpy(output, (double[]){0.0, 0.16666666666666666, 0.8333333333333334, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    }
                } else {
                    if (input[53] <= 3.5) {
                        if (input[37] <= 0.5) {
                            if (input[30] <= 3.0) {
                                if (input[20] <= 11.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.8333333333333334, 0.16666666666666666}, 3 * sizeof(double)); return;
                                } else {
                                    if (input[9] <= 1.5) {
                                        memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        if (input[58] <= 12.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                }
                            } else {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        } else {
                            if (input[26] <= 12.5) {
                                if (input[19] <= 12.5) {
                                    if (input[51] <= 2.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    }
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            } else {
                                if (input[17] <= 1.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    if (input[4] <= 8.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.6666666666666666, 0.3333333333333333, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1111111111111111, 0.0, 0.8888888888888888}, 3 * sizeof(double)); return;
                                    }
                                }
                            }
                        }
                    } else {
                        if (input[62] <= 0.5) {
                            if (input[18] <= 1.0) {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                if (input[44] <= 5.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.25, 0.0, 0.0, 0.25, 0.0, 0.0, 0.5, 0.0}, 3 * sizeof(double)); return;
                                }
                            }
                        } else {
                            memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    }
                }
            } else {
                if (input[33] <= 3.5) {
                    if (input[43] <= 1.5) {
                        if (input[29] <= 12.5) {
                            if (input[34] <= 3.5) {
                                if (input[26] <= 8.5) {
                                    if (input[28] <= 7.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        if (input[19] <= 14.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.9922480620155039, 0.0, 0.0, 0.0, 0.0, 0.0, 0.007751937984496124}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5}, 3 * sizeof(double)); return;
                                        }
                                    }
                                } else {
                                    if (input[59] <= 13.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    }
                                }
                            } else {
                                if (input[42] <= 3.5) {
                                    if (input[12] <= 13.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                    } else {
                                        if (input[59] <= 13.0) {
                                            memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            }
                        } else {
                            if (input[35] <= 1.5) {
                                if (input[3] <= 3.5) {
                                    memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    if (input[27] <= 7.5) {
                                        if (input[44] <= 8.0) {
                                            if (input[46] <= 6.0) {
                                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.5}, 3 * sizeof(double)); return;
                                            } else {
                                                memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                            }
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    } else {
                                        if (input[3] <= 15.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                }
                            } else {
                                if (input[26] <= 2.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    if (input[21] <= 10.5) {
                                        if (input[53] <= 5.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.3333333333333333, 0.0, 0.0, 0.6666666666666666, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    } else {
                                        if (input[11] <= 1.0) {
                                            memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                }
                            }
                        }
                    } else {
                        if (input[27] <= 7.5) {
                            if (input[34] <= 3.5) {
                                if (input[50] <= 0.5) {
                                    if (input[14] <= 3.5) {
                                        memcpy(output, (double[]){0.0, 0.5, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    }
                                } else {
                                    if (input[45] <= 14.0) {
                                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    }
                                }
                            } else {
                                if (input[38] <= 0.5) {
                                    if (input[61] <= 12.5) {
                                        memcpy(output, (double[]){0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    }
                                } else {
                                    if (input[46] <= 3.5) {
                                        if (input[5] <= 5.0) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                    }
                                }
                            }
                        } else {
                            if (input[20] <= 15.5) {
                                if (input[18] <= 2.5) {
                                    if (input[2] <= 5.0) {
                                        if (input[12] <= 9.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            if (input[5] <= 0.5) {
                                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                            } else {
                                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3333333333333333, 0.6666666666666666, 0.0, 0.0}, 3 * sizeof(double)); return;
                                            }
                                        }
                                    } else {
                                        if (input[13] <= 8.0) {
                                            memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                } else {
                                    if (input[38] <= 3.5) {
                                        if (input[21] <= 4.0) {
                                            if (input[26] <= 7.5) {
                                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                            } else {
                                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                            }
                                        } else {
                                            if (input[50] <= 2.5) {
                                                if (input[51] <= 9.5) {
                                                    if (input[26] <= 4.5) {
                                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                                    } else {
                                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                                    }
                                                } else {
                                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                                }
                                            } else {
                                                if (input[35] <= 5.0) {
                                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                                } else {
                                                    memcpy(output, (double[]){0.0, 0.0, 0.019230769230769232, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9807692307692307, 0.0}, 3 * sizeof(double)); return;
                                                }
                                            }
                                        }
                                    } else {
                                        if (input[22] <= 2.0) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.5}, 3 * sizeof(double)); return;
                                        }
                                    }
                                }
                            } else {
                                if (input[44] <= 6.5) {
                                    if (input[29] <= 2.5) {
                                        memcpy(output, (double[]){0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                    } else {
                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.3333333333333333, 0.0, 0.0, 0.0, 0.0, 0.6666666666666666, 0.0}, 3 * sizeof(double)); return;
                                    }
                                } else {
                                    if (input[10] <= 13.5) {
                                        if (input[52] <= 9.0) {
                                            memcpy(output, (double[]){0.0, 0.2, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.6, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            if (input[41] <= 7.5) {
                                                if (input[19] <= 5.5) {
                                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                                } else {
                                                    if (input[28] <= 8.0) {
                                                        memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                                    } else {
                                                        memcpy(output, (double[]){0.0, 0.9876543209876543, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.012345679012345678, 0.0}, 3 * sizeof(double)); return;
                                                    }
                                                }
                                            } else {
                                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                            }
                                        }
                                    } else {
                                        if (input[50] <= 7.5) {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                        } else {
                                            memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                                        }
                                    }
                                }
                            }
                        }
                    }
                } else {
                    if (input[13] <= 9.5) {
                        if (input[2] <= 1.5) {
                            if (input[34] <= 8.5) {
                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                if (input[6] <= 8.0) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, 3 * sizeof(double)); return;
                                }
                            }
                        } else {
                            memcpy(output, (double[]){0.0, 0.6666666666666666, 0.0, 0.0, 0.0, 0.0, 0.3333333333333333, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                        }
                    } else {
                        if (input[27] <= 14.5) {
                            if (input[3] <= 6.5) {
                                if (input[37] <= 10.5) {
                                    memcpy(output, (double[]){0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                }
                            } else {
                                if (input[50] <= 1.5) {
                                    memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                                } else {
                                    memcpy(output, (double[]){0.2857142857142857, 0.0, 0.0, 0.14285714285714285, 0.0, 0.14285714285714285, 0.2857142857142857, 0.0, 0.14285714285714285, 0.0}, 3 * sizeof(double)); return;
                                }
                            }
                        } else {
                            if (input[12] <= 11.0) {
                                memcpy(output, (double[]){0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3 * sizeof(double)); return;
                            } else {
                                memcpy(output, (double[]){0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 3 * sizeof(double)); return;
                            }
                        }
                    }
                }
            }
        }
    }
}
