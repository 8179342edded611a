package dev.tunewright.dataset.split;

import java.util.BitSet;

/**
 * Which kept rows go to validation (by index into the scan's row list), and how the split was made.
 *
 * @param leakageRows validation rows whose normalised input also appears in train; the planner keeps
 *                    rows sharing an input together, so anything but zero is a bug, and it is reported
 */
public record SplitPlan(BitSet validation, int rows, int validationRows, boolean stratified, long leakageRows) {

    public int trainRows() {
        return rows - validationRows;
    }

    public boolean isValidation(int rowIndex) {
        return validation.get(rowIndex);
    }
}
