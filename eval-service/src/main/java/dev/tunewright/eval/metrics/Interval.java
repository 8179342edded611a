package dev.tunewright.eval.metrics;

/** A statistic with the bounds of its bootstrap 95% interval. */
public record Interval(double value, double low, double high) {

    public boolean excludesZero() {
        return low > 0 || high < 0;
    }
}
