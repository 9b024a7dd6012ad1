"""Study: spaced-repetition scheduling (FSRS), the review log, grading and mock interviews."""
