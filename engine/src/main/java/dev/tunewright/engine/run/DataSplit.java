package dev.tunewright.engine.run;

/** Which of a run's files a data report is of. */
public enum DataSplit { TRAIN, VALIDATION }
