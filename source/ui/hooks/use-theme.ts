import {useContext} from 'react';
import {type Theme, ThemeContext} from '../theme.js';

export const useTheme = (): Theme => useContext(ThemeContext);
