import { useTranslation } from 'react-i18next';
import type { DeviceChoice } from '../view/media.js';

export interface DevicePickerProps {
  label: string;
  testId: string;
  options: readonly DeviceChoice[];
  value: string | null;
  onChange: (deviceId: string) => void;
  disabled?: boolean;
}

/** A labelled <select> of cameras or microphones. */
export function DevicePicker({ label, testId, options, value, onChange, disabled }: DevicePickerProps) {
  const { t } = useTranslation();
  return (
    <label className="device-picker">
      <span className="device-picker__label">{label}</span>
      <select
        data-testid={testId}
        value={value ?? ''}
        disabled={disabled || options.length === 0}
        onChange={(event) => onChange(event.target.value)}
      >
        {options.length === 0 && <option value="">{t('devices.none')}</option>}
        {value !== null && !options.some((o) => o.deviceId === value) && <option value={value}>{t('devices.current')}</option>}
        {options.map((option) => (
          <option key={option.deviceId} value={option.deviceId}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
