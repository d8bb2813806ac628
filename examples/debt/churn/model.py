"""Model helpers."""

from sklearn.calibration import CalibratedClassifierCV


def calibrate(model, features, labels):
    calibrated = CalibratedClassifierCV(model, cv="prefit")
    calibrated.fit(features, labels)
    return calibrated
